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
