/// Normal-approximation confidence intervals for a mean over users: how far a metric averaged over people can be
/// trusted, given how much it varies from one person to the next.

public enum MeanInterval {
    /// The z value of a two-sided 95% interval.
    public static let z95 = 1.96

    /// The half-width of the interval of the mean of `values` (one per user): `z` standard errors, with the sample
    /// variance (divided by n − 1, or by 1 for a single value, whose interval is then 0). NaN for no values.
    public static func halfWidth(_ values: [Double], z: Double = z95) -> Double {
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let variance = squares / Swift.max(n - 1, 1)
        return z * (variance / n).squareRoot()
    }

    /// The half-width of the interval of the mean difference between two measurements of the same users,
    /// `first[u] − second[u]`: paired, so the spread that both share (easy users, hard users) cancels out.
    public static func pairedHalfWidth(_ first: [Double], _ second: [Double], z: Double = z95) -> Double {
        require(first.count == second.count, "a paired interval needs one value of each per user")
        return halfWidth(zip(first, second).map { $0 - $1 }, z: z)
    }

    /// The mean of the paired differences `first[u] − second[u]` and its half-width: the difference is a finding
    /// when `abs(mean) > halfWidth`.
    public static func pairedDifference(_ first: [Double], _ second: [Double], z: Double = z95) -> (mean: Double, halfWidth: Double) {
        require(first.count == second.count, "a paired interval needs one value of each per user")
        let differences = zip(first, second).map { $0 - $1 }
        return (differences.reduce(0, +) / Double(differences.count), halfWidth(differences, z: z))
    }
}

/// Two estimates compared with their uncertainty: which is higher, or whether they are tied within the noise.
///
/// Paired (`paired`) when both are means over the same units (per-user NDCG of two models on the same users,
/// per-rating squared errors of two models on the same ratings): the interval is that of the mean difference, so the
/// spread the two share cancels out. Otherwise (`independent`) the two half-widths combine as √(h₁² + h₂²), never one
/// side's alone.
public struct Comparison: Sendable, Equatable {
    /// What the difference says.
    public enum Verdict: Sendable, Equatable {
        /// The first is higher by more than the noise.
        case firstHigher
        /// The second is higher by more than the noise.
        case secondHigher
        /// The difference is within the noise (or there is none).
        case tie
    }

    /// first − second.
    public let difference: Double
    /// The half-width of the 95% interval of the difference.
    public let halfWidth: Double

    /// A difference and its half-width, as measured.
    public init(difference: Double, halfWidth: Double) {
        self.difference = difference
        self.halfWidth = halfWidth
    }

    /// `.tie` unless the interval of the difference excludes 0 (a NaN difference or half-width is a tie).
    public var verdict: Verdict {
        guard difference.isFinite, halfWidth.isFinite, abs(difference) > halfWidth else { return .tie }
        return difference > 0 ? .firstHigher : .secondHigher
    }

    /// The mean of `first[u] − second[u]` over the same units, with its paired half-width.
    public static func paired(_ first: [Double], _ second: [Double], z: Double = MeanInterval.z95) -> Comparison {
        let d = MeanInterval.pairedDifference(first, second, z: z)
        return Comparison(difference: d.mean, halfWidth: d.halfWidth)
    }

    /// Two estimates measured apart, each with its own half-width: the half-widths combine as √(h₁² + h₂²).
    public static func independent(_ first: Double, halfWidth h1: Double, _ second: Double, halfWidth h2: Double) -> Comparison {
        Comparison(difference: first - second, halfWidth: (h1 * h1 + h2 * h2).squareRoot())
    }
}
