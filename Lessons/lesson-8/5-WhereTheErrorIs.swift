// Section 4, continued: where the blend's remaining error is, by how many training ratings the user and the movie have.

import CFCore
import LessonKit
import TextOutput

extension Lesson8 {
    func whereTheErrorIs(_ errors: [BlendError]) {
        func bucket(_ n: Int) -> Int { n < 20 ? 0 : n < 50 ? 1 : n < 150 ? 2 : 3 }
        let bucketNames = ["under 20", "20 to 49", "50 to 149", "150 or more"]
        func byCount(_ count: (Int, Int) -> Int) -> [[String]] {
            var sums = [Double](repeating: 0, count: 4), counts = [Int](repeating: 0, count: 4)
            for e in errors { let b = bucket(count(e.user, e.item)); sums[b] += e.error * e.error; counts[b] += 1 }
            return (0..<4).map { b in [bucketNames[b], String(counts[b]), counts[b] > 0 ? "\((sums[b] / Double(counts[b])).squareRoot(), digits: 4)" : ""] }
        }
        let users = byCount { u, _ in training.ratings(ofUser: u).count }, movies = byCount { _, i in training.ratings(ofItem: i).count }
        book.table(
            Table(
                header: ["training ratings", "test ratings (by user)", "blend RMSE (by user)", "test ratings (by movie)", "blend RMSE (by movie)"],
                rows: (0..<4).map { users[$0] + Array(movies[$0].dropFirst()) }),
            caption: "Where the blend's remaining error is: by the user's and by the movie's number of training ratings")
        // The two ends compared with their uncertainty: different ratings, so the two intervals combine.
        let rareErrors = errors.filter { training.ratings(ofItem: $0.item).count < 20 }.map { $0.error * $0.error }
        let popularErrors = errors.filter { training.ratings(ofItem: $0.item).count >= 150 }.map { $0.error * $0.error }
        if rareErrors.count > 1, popularErrors.count > 1 {
            let verdict = Comparison.independent(
                mean(rareErrors), halfWidth: MeanInterval.halfWidth(rareErrors),
                mean(popularErrors), halfWidth: MeanInterval.halfWidth(popularErrors)
            ).verdict
            book.paragraph(Self.onRareMovies(rare: mean(rareErrors).squareRoot(), popular: mean(popularErrors).squareRoot(), verdict: verdict))
        }
        book.record(
            "error_by_count",
            JSONValue.object([
                ("users", users.map { $0.joined(separator: " | ") }.json),
                ("movies", movies.map { $0.joined(separator: " | ") }.json)
            ]))
    }

    /// Whether the movies with under 20 training ratings are predicted worse than those with 150 or more (RMSE of each;
    /// `verdict`: the rare movies' mean squared error against the popular ones', their intervals combined).
    static func onRareMovies(rare: Double, popular: Double, verdict: Comparison.Verdict) -> String {
        switch verdict {
        case .firstHigher:
            "The error is largest where the evidence is thinnest: ratings of movies with under 20 training ratings have RMSE \(formatFixed(rare, digits: 4)) against \(formatFixed(popular, digits: 4)) for movies with 150 or more, a gap beyond the noise: a handful of ratings says little about a movie, to any of these models."
        case .tie:
            "Here the rarely rated movies (under 20 training ratings, RMSE \(formatFixed(rare, digits: 4))) and the most rated (\(formatFixed(popular, digits: 4))) are predicted equally well within the noise: few test ratings fall on the rare movies."
        case .secondHigher:
            "Here the rarely rated movies (under 20 training ratings, RMSE \(formatFixed(rare, digits: 4))) are predicted better than the most rated (\(formatFixed(popular, digits: 4))), beyond the noise."
        }
    }
}
