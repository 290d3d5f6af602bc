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

/// A title as a person writes it: MovieLens puts a leading article at the end ("Close Shave, A (1995)"); here it
/// goes back in front ("A Close Shave (1995)").
public func readableTitle(_ title: String) -> String {
    let year = title.range(of: #" \(\d{4}\)$"#, options: .regularExpression)
    let name = year.map { String(title[..<$0.lowerBound]) } ?? title, rest = year.map { String(title[$0.lowerBound...]) } ?? ""
    for article in ["The", "A", "An", "Les", "La", "Le", "L'", "Das", "Der", "Die", "Il", "El"] {
        let suffix = ", " + article
        if name.hasSuffix(suffix) {
            let front = String(name.dropLast(suffix.count))
            return article + (article.hasSuffix("'") ? "" : " ") + front + rest
        }
    }
    return title
}

/// A title short enough to label a point in a figure: the readable title without its year, at most `limit` characters,
/// cut at a word with "…" (never after a comma).
public func shortTitle(_ title: String, length limit: Int = 24) -> String {
    let readable = readableTitle(title)
    let name = readable.split(separator: "(").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? readable
    guard name.count > limit else { return name }
    var words = [Substring](), length = 0
    for word in name.split(separator: " ") where length + word.count + (words.isEmpty ? 0 : 1) <= limit - 1 {
        words.append(word)
        length += word.count + (words.count > 1 ? 1 : 0)
    }
    let cut = words.isEmpty ? String(name.prefix(limit - 1)) : words.joined(separator: " ")
    return cut.trimmingCharacters(in: CharacterSet(charactersIn: ",:;-– ")) + "…"
}

/// A setting's value as a person writes it: the shortest decimal, with no trailing zeros ("0", "1.5", "0.001").
public func formatPlain(_ value: Double) -> String {
    guard value.isFinite else { return "\(value)" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
    return "\(value)"
}

/// A whole number with its thousands separated by commas: 25,000,095.
public func formatGrouped(_ number: Int) -> String {
    let magnitude = number.magnitude
    guard magnitude >= 1000 else { return String(number) }
    var groups = [String]()
    var rest = magnitude
    while rest >= 1000 {
        groups.append(String(format: "%03d", Int(rest % 1000)))
        rest /= 1000
    }
    groups.append(String(rest))
    return (number < 0 ? "-" : "") + groups.reversed().joined(separator: ",")
}

/// `value` rounded to `significant` digits, written as a plain decimal with as few decimals as that needs: 0.003,
/// 0.0012, 0.000012, 25 (never scientific notation below a billion). The decimals are worked out from the number.
public func formatSignificant(_ value: Double, significant: Int = 3) -> String {
    guard value.isFinite, value != 0 else { return formatPlain(value) }
    let exponent = Int(log10(abs(value)).rounded(.down))
    let decimals = max(0, significant - 1 - exponent)
    let scale = pow(10, Double(decimals)), rounded = (value * scale).rounded() / scale
    // The fewest decimals that still write the rounded value exactly (0.00300 → 0.003).
    let needed =
        (0...decimals).first { d in
            let step = pow(10, Double(d))
            return abs((rounded * step).rounded() / step - rounded) <= 1e-9 * abs(rounded)
        } ?? decimals
    return formatFixed(rounded, digits: needed)
}

/// A share as a percentage: "4%", or one decimal below 1% ("0.4%").
public func formatPercent(_ share: Double) -> String {
    share >= 0.01 ? formatFixed(100 * share, digits: 0) + "%" : formatFixed(100 * share, digits: 1) + "%"
}
