// Lesson 10: deep learning for collaborative filtering. fast.ai's EmbeddingNN and He et al.'s NeuMF against the dot
// product given the same tricks, for ratings and for ranking; whether a network can learn a dot product (Rendle et
// al., 2020); and what each costs to serve. The arc that lesson 1's dot product began ends here.
//
// Run it with `swift run lesson-10` (`make lesson-10` does). This file is the outline: each section is a file of this
// folder, numbered in the order below; the state they share is `Lesson10` (0-Context.swift).

import Exercises
import LessonKit

let options = Options.parseOrExplain()
let chosenCells: any Lesson10Cells = options.common.solutions ? Lesson10Exercises.solutions : YourCells()

Lesson.run(10, options: options.common, exercises: chosenCells.exercises()) { book in
    var lesson = try Lesson10(book: book, options: options, cells: chosenCells.completed(book.writtenCells))
    try lesson.aNetworkThatScoresAPair()  // EmbeddingNN, the sigmoid range, Adam, early stopping
    try lesson.theDotProductWithTheSameTricks()  // biased MF with everything the network got
    try lesson.neuMF()  // GMF and an MLP, fused
    let chosen = try lesson.settingsChosenOnValidation()  // each model's weight decay
    _ = try lesson.testedOnce(chosen)  // the test, against lesson 6's model
    _ = try lesson.rankingNeuMFsHomeGround()  // NeuMF against weighted ALS and BPR on lesson 9's protocol
    try lesson.canANetworkLearnADotProduct()  // Rendle et al.'s experiment
    try lesson.whatItCostsToServe()  // scoring a catalogue, and retrieval
    try lesson.aLayerByHand()  // ✏️ a small network trained by your three cells
    lesson.exercises()
}
