import Foundation

/// Why training failed.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// The loss (or, where no loss is computed, the factors) became NaN or infinite at `step` (an epoch, an iteration
    /// or a sweep, as `stepName` says), with the learning rate (where there is one) and the L2 penalty in force.
    case diverged(method: String, stepName: String, step: Int, learningRate: Double? = nil, regularization: Double = 0)
    /// A user or item has too few ratings, or linearly dependent ones, to determine its k factors without a penalty.
    case underdetermined(side: Side, index: Int, ratings: Int, factors: Int)
    /// A system that must be positive definite was not: a row of `side` (`index` when known) at `step`.
    case singular(method: String, side: Side, index: Int?, step: Int)

    public var description: String {
        switch self {
        case let .diverged(method, stepName, step, rate, penalty):
            let start = "\(method) diverged at \(stepName) \(step): the loss became NaN or infinite"
            guard let rate else { return start + "; check the data for values that are not numbers, or try a larger penalty λ" }
            let withRate = start + " with learning rate \(Self.plain(rate))"
            // Each step shrinks a factor by (1 − rate·λ): past 1 the penalty itself overshoots. With an ordinary learning rate
            // (at most 1) that is the penalty's doing; a larger rate is the likelier cause, and is named instead.
            if rate * penalty >= 1 && rate <= 1 {
                return withRate + " and penalty λ = \(Self.plain(penalty)): each step multiplies the factors by 1 − rate·λ = "
                    + "\(Self.plain(1 - rate * penalty)), which must stay between −1 and 1; try a smaller λ (below \(Self.plain(Self.roundedDown(1 / rate))))"
            }
            return withRate + "; try a smaller learning rate (e.g. \(Self.plain(Self.roundedDown(rate / 10))))"
        case let .underdetermined(side, index, ratings, factors):
            let why =
                ratings < factors
                ? "has \(ratings) rating\(ratings == 1 ? "" : "s") for \(factors) factors"
                : "has ratings that cannot separate its \(factors) factors"
            return "\(side.singular) \(index) \(why), so its least-squares problem has no unique solution; use λ > 0 (e.g. 0.1) or fewer factors"
        case let .singular(method, side, index, step):
            let row = index.map { "\(side.singular) \($0)" } ?? "a \(side.singular)"
            return "\(method) stopped at step \(step): the system of \(row) is not positive definite; use λ > 0 (e.g. 0.1) or fewer factors"
        }
    }

    /// `x` rounded down to one significant digit: 0.00030000000000000003 → 0.0003, 166.7 → 100.
    static func roundedDown(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return x }
        let scale = pow(10, (log10(x)).rounded(.down))
        return (x / scale * (1 + 1e-12)).rounded(.down) * scale
    }

    /// A number as a person writes it: 0.003, 100, 1e+09.
    static func plain(_ x: Double) -> String {
        let magnitude = abs(x)
        if magnitude != 0 && (magnitude < 1e-4 || magnitude >= 1e6) { return String(format: "%.3g", x) }
        return String(format: "%.6g", x)
    }
}
