// Lesson 4: matrix factorization by stochastic gradient descent, on a synthetic 20×15 matrix.
//
// A port of the classic notebook "Collaborative filtering via matrix factorization", number for number:
// with the same seed it prints the notebook's own losses. Run it with `swift run lesson-4`. This file is the outline:
// each section is a file of this folder, numbered in the order below; the state they share is `Lesson4`
// (0-Context.swift), and the matrix and its training are built in Setup.swift.

import CFCore
import Exercises
import Figures
import LessonKit
import TextOutput

let options = Options.parseOrExplain()
let chosenCells: any Lesson4Cells = options.common.solutions ? Lesson4Exercises.solutions : YourCells()
// `--check` grades the epoch on the notebook itself: seed 42, k = 3, lr 0.05, reg 0.01, 200 epochs.
let notebook = try? Setup(seed: 42, k: 3, learningRate: 0.05, epochs: 200)

Lesson.run(4, options: options.common, exercises: notebook.map { chosenCells.exercises(notebook: $0.problem(reg: 0.01)) } ?? []) { book in
    let lesson = try Lesson4(book: book, options: options, cells: chosenCells.completed(book.writtenCells))
    // ✏️ Exercises: set these here instead of passing flags, then run `swift run lesson-4` again.
    let compareKs: [Int] = options.k.values.count > 1 ? options.k.values : []  // e.g. [1, 2, 3, 5, 8]
    let validationFraction: Double? = options.validation  // e.g. 0.2
    let compareBiases: Bool = options.biases  // e.g. true

    try lesson.aMatrixOfRankThree()  // the truth, the observed cells
    lesson.learningUAndVOneCellAtATime()  // the SGD update
    let (model, losses) = try lesson.training()  // ✏️ the epochs, on your sgdEpoch
    let observedRMSE = try lesson.howWellDidItFillInTheBlanks(model)
    if !compareKs.isEmpty { try lesson.comparingLatentDimensions(compareKs) }
    if let validationFraction { try lesson.choosingRegOnValidation(validationFraction) }
    if compareBiases { try lesson.addingBiases(model, losses: losses, observedRMSE: observedRMSE) }
    lesson.exercises()
}
