import Foundation

/// ANSI styling for the terminal, used only when standard output is a terminal and NO_COLOR is not set.
struct Style {
    let enabled: Bool

    /// Colour on a terminal unless NO_COLOR is set to something (an empty NO_COLOR is unset, by the convention) or TERM is dumb.
    init(environment: [String: String] = ProcessInfo.processInfo.environment, isTerminal: Bool = isatty(STDOUT_FILENO) == 1) {
        enabled = isTerminal && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
    }

    func bold(_ s: String) -> String { wrap(s, "1") }
    func heading(_ s: String) -> String { wrap(s, "1;36") }
    func dim(_ s: String) -> String { wrap(s, "2") }
    func accent(_ s: String) -> String { wrap(s, "33") }

    private func wrap(_ s: String, _ code: String) -> String { enabled ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
}

/// Folds `text` into lines of at most `width` characters, breaking between words.
func wrapped(_ text: String, width: Int = 88, indent: String = "") -> String {
    var lines = [String](), line = ""
    for word in text.split(whereSeparator: \.isWhitespace) {
        if !line.isEmpty && line.count + 1 + word.count > width - indent.count {
            lines.append(indent + line)
            line = ""
        }
        line += (line.isEmpty ? "" : " ") + word
    }
    if !line.isEmpty { lines.append(indent + line) }
    return lines.joined(separator: "\n")
}
