// Section 5: the exercises, the cells of Cells.swift first.

import LessonKit

extension Lesson8 {
    func exercises() {
        book.heading("Exercises")
        book.cellExercises()
        book.exercise("Run more samples (`--samples 600 --burn-in 100`) and a larger k (`--k 50`). How much do the average and the time change?")
        book.exercise(
            "Drop a model from the blend (edit `trainComponents` in Lessons/lesson-8/Blend.swift). Which one costs the blend most, and is it the most accurate one?"
        )
        if movieLens.hasFiveFolds {
            book.exercise("Run all five folds: `--folds 5`. Is the blend's gain over the best single model larger than the folds' spread?")
        }
    }
}
