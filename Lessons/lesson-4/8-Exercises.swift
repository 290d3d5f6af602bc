// Section 8: the learner's cell, and the exercise runs to try.

import LessonKit

extension Lesson4 {
    func exercises() {
        book.heading("Exercises")
        book.cellExercises()
        book.exercise("Compare latent dimensions: `swift run lesson-4 --k 1,2,3,5,8` (or set compareKs in main.swift at the ✏️ mark).")
        book.exercise("Tune the regularization on held-out cells: `swift run lesson-4 --validation 0.2` (or set validationFraction).")
        book.exercise("Add user and item biases and a global mean: `swift run lesson-4 --biases` (or set compareBiases).")
        book.exercise(
            """
            Make the learning rate too large: `swift run lesson-4 --learning-rate 50`. What happens, and at which epoch?
            Then find the largest rate that still converges.
            """)
    }
}
