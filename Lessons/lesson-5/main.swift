// Lesson 5: MovieLens. Cost, gradients, gradient check, batch gradient descent, RMSE and recommendations.
//
// Run it with `swift run lesson-5` (downloads MovieLens 100K once), or point it at a copy:
// `swift run lesson-5 --data path/to/ml-100k`.
//
// This file is the outline. Each section is a file of its own, numbered in the order of the story (1-TheData.swift,
// 2-TheCostFunction.swift, …); 0-Context.swift holds what they share, Descent.swift the loop of batch gradient descent.

import Exercises
import LessonKit

let options = Options.parseOrExplain()
let chosenCells: any Lesson5Cells = options.common.solutions ? Lesson5Exercises.solutions : YourCells()

Lesson.run(5, options: options.common, exercises: chosenCells.exercises()) { book in
    var lesson = try Lesson5.theData(book, options: options, cells: chosenCells.completed(book.writtenCells))
    let start = try lesson.theCostFunction()  // X and Θ both trainings start from
    try lesson.gradientsAndCheckingThem()
    let normalization = lesson.meanNormalization()  // the movie means, and the baseline they make
    let gd = try lesson.batchGradientDescent(from: start, normalization)
    let sgd = try lesson.theSameModelBySGD(from: start, normalization, against: gd)
    try lesson.howGoodAreThePredictions(normalization, gd, sgd)
    lesson.recommendations(gd, normalization)
    try lesson.rateAFewMoviesYourself(gd, normalization)
    lesson.exercises()
}
