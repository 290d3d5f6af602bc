import Foundation

/// The text of a cell in a Swift source file: where its body is, its worked case, and a body put back to the placeholder.
public enum CellSource {
    /// The range of the body of `func function(` in `text`, between its opening brace and the matching closing one
    /// (both excluded), or nil. Braces inside string literals and comments do not count.
    public static func bodyRange(of function: String, in text: String) -> Range<String.Index>? {
        guard let start = text.range(of: #"func \#(function)\("#, options: .regularExpression) else { return nil }
        var index = start.upperBound, depth = 0, open: String.Index?
        var inString = false, inLineComment = false, inBlockComment = false
        while index < text.endIndex {
            let c = text[index], next = text.index(after: index)
            let following = next < text.endIndex ? text[next] : " "
            if inLineComment {
                if c == "\n" { inLineComment = false }
            } else if inBlockComment {
                if c == "*" && following == "/" { inBlockComment = false; index = next }
            } else if inString {
                if c == "\\" { index = next } else if c == "\"" { inString = false }
            } else if c == "/" && following == "/" {
                inLineComment = true
            } else if c == "/" && following == "*" {
                inBlockComment = true
            } else if c == "\"" {
                inString = true
            } else if c == "{" {
                if depth == 0 && open == nil { open = next }
                depth += 1
            } else if c == "}" {
                depth -= 1
                if depth == 0, let open { return open..<index }
            }
            index = text.index(after: index)
        }
        return nil
    }

    /// The whole function `func function(…) { … }` of `text`, from its `func` to its closing brace, or nil.
    public static func function(_ function: String, in text: String) -> String? {
        guard let start = text.range(of: #"func \#(function)\("#, options: .regularExpression),
            let body = bodyRange(of: function, in: text)
        else { return nil }
        // From the start of the line that holds `func`, so that `public` and the indentation come too.
        let lineStart = text[..<start.lowerBound].lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
        return String(text[lineStart...body.upperBound])
    }

    /// `text` with the body of `function` replaced by `placeholder` (indented lines), or nil when the function is not
    /// found.
    public static func resetting(_ function: String, in text: String, to placeholder: String) -> String? {
        guard let body = bodyRange(of: function, in: text) else { return nil }
        var result = text
        result.replaceSubrange(body, with: "\n" + placeholder + "\n    ")
        return result
    }

    /// Whether the body of `function` in `text` is the placeholder (whatever its spacing).
    public static func isPlaceholder(_ function: String, in text: String, placeholder: String) -> Bool {
        guard let body = bodyRange(of: function, in: text) else { return false }
        let squeeze = { (s: Substring) in s.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        return squeeze(text[body]) == squeeze(Substring(placeholder))
    }

    /// The worked case in the doc comment of `function` ("score(tastes: [1, 2], factors: [3, 4]) = 11"), or nil.
    public static func workedCase(of function: String, in text: String) -> String? {
        guard let start = text.range(of: #"func \#(function)\("#, options: .regularExpression) else { return nil }
        let before = text[..<start.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).suffix(6)
        guard let marker = before.firstIndex(where: { $0.contains("Worked by hand") }) else { return nil }
        return before[marker...].dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix("///") && $0.count > 3 }
            .map { String($0.dropFirst(3)).trimmingCharacters(in: .whitespaces) }
    }
}
