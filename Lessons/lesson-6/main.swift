// Lesson 6: toward production. Biases, honest validation, tuning, cold start, similar movies, and a comparison
// of every method of the course on MovieLens.
//
// It trains dozens of models; run it with `swift run lesson-6` (`make lesson-6` does): the debug build is optimized too.
//
// This file is the outline. Each section is a file of its own, numbered in the order of the story
// (1-ThreeSetsOfRatings.swift, 2-Biases.swift, …); 0-Context.swift holds what they share, Recipe.swift how the lesson
// trains biased SGD, Comparison.swift the methods of the course side by side.

import Exercises
import LessonKit

let options = Options.parseOrExplain()
let chosenCells: any Lesson6Cells = options.common.solutions ? Lesson6Exercises.solutions : YourCells()

Lesson.run(6, options: options.common, exercises: chosenCells.exercises()) { book in
    // MovieLens, your movie and ratings file, and every fold are read and checked first, before any training.
    let lesson = try Lesson6.threeSetsOfRatings(book, options: options, cells: chosenCells.completed(book.writtenCells))
    let biasesRMSE = lesson.biases()  // the validation RMSE to beat
    try lesson.theUpdate()
    try lesson.whenToStop()
    let best = try lesson.choosingTheSettings(biasesRMSE: biasesRMSE)  // the grid's best k, λ, learning rate and epochs
    let recipes = try lesson.implicitFeedback(best)  // with and without SVD++, and which one is chosen
    let final = try lesson.theFinalModel(recipes)
    try lesson.coldStart(final.model, recipes.chosen, retrained: final.withNewUser)
    lesson.becauseYouLiked(final.model)
    try lesson.everyMethodSideBySide(recipes, final: (final.model, final.seconds))
    lesson.exercises()
}
