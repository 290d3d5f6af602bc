// Lesson 4's shared state: the notebook, the run's options and cells, and the synthetic matrix every section reads.

import CFCore
import Exercises
import LessonKit

/// Lesson 4 as it runs: the notebook, options and cells, the matrix's k and its setup (the truth, the observed cells,
/// the notebook's starting factors).
struct Lesson4 {
    let book: Notebook
    let options: Options
    let cells: any Lesson4Cells
    /// The latent dimension of the main run (`--k` with one value; else the notebook's 3).
    let k: Int
    let setup: Setup
    /// The matrix's row and column names.
    let users: [String] = (1...20).map { "u\($0)" }
    let items: [String] = (1...15).map { "i\($0)" }

    var observed: Ratings { setup.observed }

    init(book: Notebook, options: Options, cells: any Lesson4Cells) throws {
        self.book = book
        self.options = options
        self.cells = cells
        k = options.k.values.count == 1 ? options.k.values[0] : 3
        setup = try Setup(seed: book.seed, k: k, learningRate: options.learningRate, epochs: options.epochs)
    }
}
