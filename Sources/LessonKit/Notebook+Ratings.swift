import CFCore
import Figures
import TextOutput

extension Notebook {
    /// Shows a ratings matrix: an aligned table with blanks for missing cells, and a heatmap in which
    /// missing cells are left blank.
    public func showRatings(
        _ values: [[Double?]], rowNames: [String], columnNames: [String], corner: String = "",
        caption: String, figure name: String, xLabel: String, yLabel: String,
        scale: ClosedRange<Double>, digits: Int = 0
    ) throws {
        matrix(values, rowNames: rowNames, columnNames: columnNames, corner: corner, digits: digits, caption: caption)
        try figure(
            .heatmap(
                name: name, title: caption, xLabel: xLabel, yLabel: yLabel,
                Heatmap(
                    values, rowLabels: rowNames, columnLabels: columnNames, colorbarLabel: "rating",
                    range: scale, digits: digits)))
    }

    /// Shows a completed matrix: observed cells as they are and predicted cells in parentheses, as a
    /// table and as a heatmap of every cell.
    public func showCompleted(
        observed: [[Double?]], predicted: [[Double]], rowNames: [String], columnNames: [String],
        corner: String = "", caption: String, figure name: String, xLabel: String, yLabel: String,
        scale: ClosedRange<Double>
    ) throws {
        let rows = zip(rowNames, zip(observed, predicted)).map { name, pair in
            [name]
                + zip(pair.0, pair.1).map { seen, guess in
                    seen.map { formatFixed($0, digits: 0) } ?? "(" + formatFixed(guess, digits: 1) + ")"
                }
        }
        table(
            Table(header: [corner] + columnNames, rows: rows),
            caption: caption + ": the observed cells show the rating itself, the empty ones the prediction, in parentheses")
        try figure(
            .heatmap(
                name: name, title: caption, xLabel: xLabel, yLabel: yLabel,
                Heatmap(
                    predicted.map { $0.map(Optional.some) }, rowLabels: rowNames, columnLabels: columnNames,
                    colorbarLabel: "rating", range: scale, digits: 1)))
    }
}

/// The transpose of a rectangular array of rows.
public func transposed<T>(_ rows: [[T]]) -> [[T]] {
    guard let width = rows.first?.count else { return [] }
    return (0..<width).map { j in rows.map { $0[j] } }
}
