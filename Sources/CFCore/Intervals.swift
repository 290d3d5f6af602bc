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
        precondition(first.count == second.count, "a paired interval needs one value of each per user")
        return halfWidth(zip(first, second).map { $0 - $1 }, z: z)
    }

    /// The mean of the paired differences `first[u] − second[u]` and its half-width: the difference is a finding
    /// when `abs(mean) > halfWidth`.
    public static func pairedDifference(_ first: [Double], _ second: [Double], z: Double = z95) -> (mean: Double, halfWidth: Double) {
        precondition(first.count == second.count, "a paired interval needs one value of each per user")
        let differences = zip(first, second).map { $0 - $1 }
        return (differences.reduce(0, +) / Double(differences.count), halfWidth(differences, z: z))
    }
}
