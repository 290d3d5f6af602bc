// 10. Exercises: the cells still to write, and things to try on the command line.

import CFCore
import LessonKit
import TextOutput

extension Lesson5 {
    func exercises() {
        book.heading("Exercises")
        book.cellExercises()
        book.exercise("Change λ: `swift run lesson-5 --lambda 1`, then `--lambda 30`. Which gives the best test RMSE, and why not the smallest?")
        book.exercise("Change α: try `--alpha 0.006` and `--alpha 0.02`. What happens to the cost curve? When does it diverge?")
        book.exercise("Write your own ratings file (`movie id, rating` per line; \(movieLens.whereMovieIDsAre)) and run with `--my-ratings FILE`.")
        if let other = Self.mostOpposite(to: user, in: training) {
            let ids = (movieLens.userIDs[user], movieLens.userIDs[other.user])
            book.exercise(
                """
                Compare the recommendations for two users with opposite tastes: `--user \(ids.0)` and `--user \(ids.1)`, whose ratings of \
                the \(other.common) movies both rated correlate at \(formatFixed(other.correlation, digits: 2)). How personal are the two lists?
                """)
        }
    }

    /// The user whose ratings correlate most negatively with `user`'s over the movies both rated (at least 20 of them),
    /// or nil when nobody shares that many with a negative correlation.
    static func mostOpposite(to user: Int, in ratings: Ratings) -> (user: Int, correlation: Double, common: Int)? {
        var own = [Int: Double]()
        for r in ratings.ratings(ofUser: user) { own[r.item] = r.value }
        var best: (user: Int, correlation: Double, common: Int)?
        for other in 0..<ratings.userCount where other != user {
            let pairs = ratings.ratings(ofUser: other).compactMap { r in own[r.item].map { ($0, r.value) } }
            guard pairs.count >= 20 else { continue }
            let n = Double(pairs.count)
            let meanA = pairs.reduce(0) { $0 + $1.0 } / n, meanB = pairs.reduce(0) { $0 + $1.1 } / n
            var ab = 0.0, aa = 0.0, bb = 0.0
            for (a, b) in pairs { ab += (a - meanA) * (b - meanB); aa += (a - meanA) * (a - meanA); bb += (b - meanB) * (b - meanB) }
            guard aa > 0, bb > 0 else { continue }
            let r = ab / (aa * bb).squareRoot()
            if r < 0 && r < (best?.correlation ?? 0) { best = (other, r, pairs.count) }
        }
        return best
    }
}
