import Foundation

/// A table of text cells, printed with aligned columns in the terminal and as Markdown in the transcript.
///
/// Columns whose cells are all numbers (or blank) are right-aligned, the others left-aligned.
public struct Table: Sendable {
    /// Column titles.
    public var header: [String]
    /// The cells, row by row.
    public var rows: [[String]]

    /// A table with a header row and body rows of the same width.
    public init(header: [String], rows: [[String]]) {
        precondition(rows.allSatisfy { $0.count == header.count }, "every row needs \(header.count) cells")
        self.header = header
        self.rows = rows
    }

    /// A table of a matrix with named rows and columns; `nil` cells print blank.
    public init(matrix: [[Double?]], rowNames: [String], columnNames: [String], corner: String = "", digits: Int = 2) {
        self.init(
            header: [corner] + columnNames,
            rows: zip(rowNames, matrix).map { name, values in
                [name] + values.map { $0.map { formatFixed($0, digits: digits) } ?? "" }
            })
    }

    /// Whether column `c` holds only numbers and blanks.
    public func isNumeric(_ c: Int) -> Bool {
        let cells = rows.map { $0[c] }.filter { !$0.isEmpty }
        // Numbers may come with thousands separators, a percent sign, or in parentheses (a prediction).
        return !cells.isEmpty
            && cells.allSatisfy {
                Double($0.trimmingCharacters(in: CharacterSet(charactersIn: "()%")).replacingOccurrences(of: ",", with: "")) != nil
            }
    }

    /// The table with aligned columns separated by two spaces, and a rule under the header.
    public var text: String {
        let widths = header.indices.map { c in ([header[c]] + rows.map { $0[c] }).map(\.count).max() ?? 0 }
        let numeric = header.indices.map(isNumeric)
        func line(_ cells: [String]) -> String {
            cells.indices.map { c in
                let gap = String(repeating: " ", count: widths[c] - cells[c].count)
                return numeric[c] ? gap + cells[c] : cells[c] + gap
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }

    /// The table in Markdown, numeric columns right-aligned.
    public var markdown: String {
        func escape(_ s: String) -> String { MarkdownText.escaped(s).replacingOccurrences(of: "|", with: "\\|") }
        let head = "| " + header.map(escape).joined(separator: " | ") + " |"
        let align = "|" + header.indices.map { isNumeric($0) ? "---:|" : ":---|" }.joined()
        let body = rows.map { "| " + $0.map(escape).joined(separator: " | ") + " |" }
        return ([head, align] + body).joined(separator: "\n")
    }
}
