import Foundation

/// `value` with exactly `digits` decimals, never "-0.00". Used for every number a person reads. A value of a billion
/// or more is written in scientific notation with `digits` decimals in its mantissa ("1.234e+300"), never as hundreds
/// of digits.
public func formatFixed(_ value: Double, digits: Int) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
    if abs(value) >= 1e9 { return String(format: "%.\(min(max(digits, 1), 6))e", value) }
    let text = String(format: "%.\(max(digits, 0))f", value)
    return text.hasPrefix("-") && text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) ? String(text.dropFirst()) : text
}

extension DefaultStringInterpolation {
    /// `"\(x, digits: 3)"`: a number with exactly `digits` decimals, as `formatFixed` writes it.
    public mutating func appendInterpolation(_ value: Double, digits: Int) {
        appendLiteral(formatFixed(value, digits: digits))
    }
}

/// A duration such as "0.42 s" or "12.3 s".
public func formatSeconds(_ seconds: Double) -> String {
    seconds < 10 ? String(format: "%.2f s", seconds) : String(format: "%.1f s", seconds)
}

/// A title short enough to label a point in a figure: the part before the first "(" (MovieLens puts the year
/// there), at most 22 characters.
public func shortTitle(_ title: String) -> String {
    let name = title.split(separator: "(").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? title
    return name.count > 22 ? String(name.prefix(21)) + "…" : name
}
