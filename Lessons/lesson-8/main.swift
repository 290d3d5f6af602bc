// Lesson 8: the last hundredth. Bayesian matrix factorization, which averages over its own uncertainty, and a blend
// of every model of the course fitted on held-out predictions.
//
// Run it with `swift run lesson-8` (`make lesson-8` does).
//
// This file is the outline. Each part is a file of this folder, numbered in reading order; 0-Context.swift holds what
// they share (the data, its folds, the validation split), Bayesian.swift and Blend.swift the models, and Cells.swift
// the functions you write.

import Exercises
import LessonKit

let options = Options.parseOrExplain()
let chosenCells: any Lesson8Cells = options.common.solutions ? Lesson8Exercises.solutions : YourCells()

Lesson.run(8, options: options.common, exercises: chosenCells.exercises()) { book in
    let lesson = try Lesson8(book: book, options: options, cells: chosenCells.completed(book.writtenCells))
    // Averaging over what the model does not know: BPMF and its noise, then the implicit-feedback terms.
    let noise = try lesson.averagingOverWhatTheModelDoesNotKnow()
    let bayesian = try lesson.implicitFeedback(noise)
    // How sure is it?
    let finals = try lesson.howSureIsIt(bayesian)
    // A blend of every model, and where its error is.
    let errors = try lesson.aBlendOfEveryModel(bayesian, finals)
    lesson.whereTheErrorIs(errors)
    lesson.exercises()
}
