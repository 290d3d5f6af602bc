// 1. The data: MovieLens read, shown and split; this makes the state (Lesson5) that the later sections share.

import CFCore
import Exercises
import Figures
import LessonKit
import MovieLens
import TextOutput

extension Lesson5 {
    static func theData(_ book: Notebook, options: Options, cells: any Lesson5Cells) throws -> Lesson5 {
        book.heading("The data")
        let movieLens = try book.loadMovieLens(data: options.movieLensOptions.data)
        let all = movieLens.ratings
        book.table(summary(of: movieLens))
        book.paragraph(
            """
            Think of it as a \(all.userCount) × \(all.itemCount) matrix Y of users by movies in which only
            \(100 * all.density, digits: 1)% of the cells are filled: each person rated only a few of the movies. The ratings
            lean positive, perhaps because people mostly rate what they chose to watch.
            """)
        try book.figure(histogram(of: movieLens))
        // Everything the run needs from you is checked before any training: the user, and your ratings file.
        let user = try movieLens.user(id: options.user)
        let newUser = try options.newUserOptions.newUser(in: movieLens)
        let split = try movieLens.split(seed: book.seed)
        let training = split.training, test = split.test
        book.paragraph(
            """
            We train on \(training.count) ratings and keep \(test.count) aside to test on, using \(split.description). The test
            ratings play no part in training: they measure how well the model predicts ratings it has never seen.
            """)
        book.record("users", all.userCount)
        book.record("movies", all.itemCount)
        book.record("ratings", all.count)
        book.record("training_ratings", training.count)
        book.record("test_ratings", test.count)
        return Lesson5(
            book: book, options: options, cells: cells, movieLens: movieLens, user: user, newUser: newUser,
            training: training, test: test, minimumRatings: training.minimumRatingsToRecommend(),
            rng: RandomState(seed: book.seed))
    }

    /// One row: the data set's size, density and mean rating.
    private static func summary(of movieLens: MovieLens) -> Table {
        let all = movieLens.ratings
        return Table(
            header: ["data set", "users", "movies", "ratings", "density", "mean rating"],
            rows: [
                [
                    movieLens.format.rawValue, String(all.userCount), String(all.itemCount), String(all.count),
                    "\(100 * all.density, digits: 2)" + "%", "\(all.mean, digits: 3)"
                ]
            ])
    }

    /// How often each rating on the scale is given (half stars on latest-small).
    private static func histogram(of movieLens: MovieLens) -> Figure {
        let halves = movieLens.format == .latestSmall
        let values = stride(from: movieLens.scale.lowerBound, through: movieLens.scale.upperBound, by: halves ? 0.5 : 1).map { $0 }
        let counts = values.map { value in Double(movieLens.ratings.entries.filter { $0.value == value }.count) }
        return .bars(
            name: "rating-histogram", title: "How often each rating is given (\(movieLens.format.rawValue))",
            xLabel: "rating", yLabel: "number of ratings",
            labels: values.map { formatFixed($0, digits: halves ? 1 : 0) }, values: counts)
    }
}
