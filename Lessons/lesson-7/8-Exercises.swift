// Section 8: the exercises, the cells of Cells.swift first.

import LessonKit

extension Lesson7 {
    func exercises() {
        book.heading("Exercises")
        book.cellExercises()
        book.exercise("Change the shrinkage: `--shrinkage 10` and `--shrinkage 300`. Which k wins now, and why does the raw cosine not need it?")
        book.exercise("Explain the top 10 of another user (`--user ID`). Are the reasons ones that person would recognise?")
        if movieLens.hasFiveFolds {
            book.exercise("Run `--folds 5`. How far apart are the folds, and is the difference between the item-item and user-user models larger than that?")
        }
    }
}
