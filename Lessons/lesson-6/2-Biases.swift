// 2. Biases: some movies are better, some users are kinder. The baseline μ + b_u + b_i, and what the movie biases say.

import CFCore
import LessonKit
import TextOutput

extension Lesson6 {
    /// Returns the validation RMSE of the biases alone, the number the factor models must beat.
    func biases() -> Double {
        book.heading("Biases: some movies are better, some users are kinder")
        let baseline = Baseline.biases(fit, ratingScale: scale)
        book.paragraph(
            """
            Before any taste factors, much of a rating is explained by three numbers: the global mean μ = \(baseline.globalMean, digits: 3),
            how much more generous than average user u is (b_u), and how much better than average movie i is received (b_i).
            We fit them by regularized least squares, taking turns: each bias is the sum of what its ratings leave over, divided
            by their number plus a penalty (10 for movies, 15 for users), which pulls the biases of rarely rated movies toward 0.
            """)
        let counts = fit.itemCounts, means = fit.itemMeans()
        func rows(_ items: [Int]) -> [[String]] {
            items.map { [titles[$0], "\(baseline.itemBias[$0], digits: 3)", "\(means[$0], digits: 2)", String(counts[$0])] }
        }
        let rated = (0..<fit.itemCount).filter { counts[$0] > 0 }
        let byBias = ranked(rated, by: { baseline.itemBias[$0] })
        // By mean rating, and among equal means the more rated first.
        let byMean = rated.sorted { means[$0] != means[$1] ? means[$0] > means[$1] : counts[$0] > counts[$1] }
        let header = ["movie", "bias b_i", "mean rating", "fit ratings"]
        book.table(Table(header: header, rows: rows(Array(byBias.prefix(8)))), caption: "Highest movie bias")
        book.table(Table(header: header, rows: rows(byBias.suffix(5).reversed())), caption: "Lowest movie bias")
        book.table(Table(header: header, rows: rows(Array(byMean.prefix(6)))), caption: "Highest mean rating, for comparison")
        book.paragraph(
            """
            (The counts are of the fit ratings the biases were learned from.) Where the two rankings differ, it is mostly the penalty's doing. A movie rated 5 by one or two people has the highest possible
            mean, but its bias is that surplus divided by (n + 10), small when n is small: the evidence is thin, so the
            estimate stays near the global mean until more ratings arrive. A movie with hundreds of high ratings keeps nearly
            all of its surplus. The bias also discounts who rated it: high marks from generous users count for less.
            """)
        let validationRMSE = baseline.rmse(on: validation)
        book.record("baseline_validation_rmse", validationRMSE)
        return validationRMSE
    }
}
