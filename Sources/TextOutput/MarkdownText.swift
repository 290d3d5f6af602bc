/// Prose made safe for Markdown: formulas like b_u + b_i are full of underscores, which Markdown would read as
/// emphasis (b*u + b*i in italics).
public enum MarkdownText {
    /// `text` with `_` and `*` backslash-escaped outside `code spans`, as CommonMark (and GitHub) reads them.
    public static func escaped(_ text: String) -> String {
        var out = "", inCode = false
        for character in text {
            if character == "`" { inCode.toggle() }
            if !inCode && (character == "_" || character == "*") { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// A transcript prepared for Ink, which does not honour backslash escapes of `_` and `*`: outside code spans
    /// and fenced blocks they become the HTML entities `&#95;` and `&#42;`, which Ink passes through unchanged.
    public static func forInk(_ markdown: String) -> String {
        var inFence = false
        return markdown.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if line.hasPrefix("```") { inFence.toggle(); return String(line) }
            if inFence { return String(line) }
            var out = "", inCode = false, pendingBackslash = false
            for character in line {
                if pendingBackslash {
                    pendingBackslash = false
                    switch character {
                    case "_": out += "&#95;"; continue
                    case "*": out += "&#42;"; continue
                    default: out.append("\\")
                    }
                }
                if character == "`" { inCode.toggle() }
                if character == "\\" && !inCode { pendingBackslash = true; continue }
                out.append(character)
            }
            if pendingBackslash { out.append("\\") }
            return out
        }.joined(separator: "\n")
    }

    /// Text prepared by `forInk` back to plain characters (for places where Ink's output is not used).
    public static func plain(_ text: String) -> String {
        text.replacingOccurrences(of: "&#95;", with: "_").replacingOccurrences(of: "&#42;", with: "*")
    }
}
