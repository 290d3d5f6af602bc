// Lesson 7: neighbours, and what the factors mean. Item-item and user-user k-nearest neighbours on MovieLens,
// recommendations explained by the ratings that made them, the movies' biases, and a map of the movies.
//
// Run it with `swift run lesson-7` (`make lesson-7` does).
//
// This file is the outline. Each section is a file of this folder, numbered in reading order; 0-Context.swift holds
// what they share (the data, its splits, the baseline), and Cells.swift the functions you write.

import Exercises
import LessonKit

let options = Options.parseOrExplain()
let chosenCells: any Lesson7Cells = options.common.solutions ? Lesson7Exercises.solutions : YourCells()

Lesson.run(7, options: options.common, exercises: chosenCells.exercises()) { book in
    let lesson = try Lesson7(book: book, options: options, cells: chosenCells.completed(book.writtenCells))
    lesson.neighboursInsteadOfFactors()
    let similarities = try lesson.howAlikeAreTwoMovies()
    let choice = try lesson.howManyNeighbours(similarities)
    lesson.testedOnce(choice)
    try lesson.whyWasThisRecommended(choice)
    let factors = try lesson.whatTheFactorsMean()
    lesson.neighboursByFactorsAndByRatings(factors, similarities)
    lesson.exercises()
}
