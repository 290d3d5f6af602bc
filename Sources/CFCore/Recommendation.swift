import Foundation

/// One recommended item and the rating the model predicts for it.
public struct Recommendation: Equatable, Sendable {
    /// The item's column in the ratings matrix.
    public var item: Int
    /// The predicted rating (clipped to the model's rating scale, if it has one).
    public var predictedRating: Double
    /// The model's raw score before clipping: what the list is ranked by, so items clipped to the same top
    /// rating still come in a meaningful order.
    public var score: Double

    /// A recommendation of `item` with its predicted rating and raw score (by default the same).
    public init(item: Int, predictedRating: Double, score: Double? = nil) {
        self.item = item
        self.predictedRating = predictedRating
        self.score = score ?? predictedRating
    }

    /// The predicted rating to two decimals, followed by the raw score in parentheses when clipping changed it.
    public var shown: String {
        let rating = String(format: "%.2f", predictedRating)
        return abs(score - predictedRating) < 0.005 ? rating : rating + " (" + String(format: "%.2f", score) + ")"
    }
}
