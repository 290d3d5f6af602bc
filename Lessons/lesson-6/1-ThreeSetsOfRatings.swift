// 1. Three sets of ratings, each with one job: fit, validation and test. This makes the lesson's state (Lesson6).

import CFCore
import Exercises
import LessonKit

extension Lesson6 {
    static func threeSetsOfRatings(_ book: Notebook, options: Options, cells: any Lesson6Cells) throws -> Lesson6 {
        let (movieLens, anchor, newUser, splits) = try readData(book, options: options)  // before any heading
        book.heading("Three sets of ratings, each with one job")
        let split = splits[0], training = split.training, test = split.test
        let (fit, validation) = try book.fitAndValidation(training)
        book.paragraph(
            """
            Lesson 5 trained on \(split.description) and looked at the test ratings to see how it did. Had it then tried
            other settings and kept the best test score, the test set would have become part of training: its score would
            flatter us. So from here on the test ratings (\(test.count)) are touched once, at the very end. Every choice,
            the number of factors, λ, the learning rate and when to stop, is made on a validation set of \(validation.count)
            ratings carved at random (\(book.derivedSeed(11))) from the \(training.count) training ratings; the models learn from the
            other \(fit.count).
            """)
        book.record("fit_ratings", fit.count)
        book.record("validation_ratings", validation.count)
        book.record("test_ratings", test.count)
        return Lesson6(
            book: book, options: options, cells: cells, movieLens: movieLens, anchor: anchor, newUser: newUser,
            splits: splits, fit: fit, validation: validation, minimumRatings: training.minimumRatingsToRecommend())
    }
}
