// Section 10: the learner's cells, and questions to answer by running the lesson again with other options.

import LessonKit

extension Lesson10 {
    func exercises() {
        book.heading("Exercises")
        book.cellExercises()
        book.exercise("Run `--hidden 256,128 --epochs 60`. Does a bigger network close the gap to the dot product on the test, and what does it cost to serve?")
        book.exercise("Try `--decays 0,0.001`. Without weight decay, which model overfits first, and how early does early stopping catch it?")
        book.exercise(
            "In the dot-product experiment, how many pairs would the network need to match the dot product at d = 32? Extend the grid in 7-CanANetworkLearnADotProduct.swift and see."
        )
    }
}
