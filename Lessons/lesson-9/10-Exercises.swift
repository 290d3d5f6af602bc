// Section 10: the learner's cells, and questions to answer by running the lesson again with other options.

import LessonKit

extension Lesson9 {
    func exercises() {
        book.heading("Exercises")
        book.cellExercises()
        book.exercise("Run `--positive-only`. Which models gain when only liked movies count, and does the rating model close the gap?")
        book.exercise("Try `--alphas 0.5,100` and `--factors 100`. When does confidence hurt, and why might a large α make weighted ALS closer to popularity?")
        book.exercise("Look at the long-tail figure: which model recommends from deepest in the tail, and is its NDCG lower for it?")
    }
}
