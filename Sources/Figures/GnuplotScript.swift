import Foundation
import TextOutput

/// A standalone gnuplot script and the data file it reads.
///
/// The script reads `NAME.dat` from its own folder and writes `NAME.png` (or .svg, .pdf), so
/// `gnuplot NAME.gp` inside the output folder rebuilds the picture. Another output file can be
/// named with `gnuplot -e "outfile='slide.png'" NAME.gp`.
public struct GnuplotScript: Equatable, Sendable {
    /// The text of `NAME.gp`.
    public var script: String
    /// The text of `NAME.dat`.
    public var data: String

    /// The file name of the script.
    public static func scriptFile(_ name: String) -> String { "\(name).gp" }
    /// The file name of the data.
    public static func dataFile(_ name: String) -> String { "\(name).dat" }
    /// The file name of the rendered image.
    public static func imageFile(_ name: String, _ format: ImageFormat) -> String { "\(name).\(format.rawValue)" }

    /// The script and data that draw `figure` in `format`.
    public init(_ figure: Figure, format: ImageFormat = .png) {
        var s = Lines()
        let dataFile = Self.dataFile(figure.name)
        s += "# \(figure.name).gp: \(figure.title)"
        s += "# Written by cf-lessons. Rebuild the picture here with: gnuplot \(figure.name).gp"
        s += "# Another output file: gnuplot -e \"outfile='slide.\(format.rawValue)'\" \(figure.name).gp"
        s += Self.terminalLine(format)
        s += "if (!exists(\"outfile\")) outfile = '\(Self.imageFile(figure.name, format))'"
        s += "set output outfile"
        s += "set title \(quoted(figure.title)) font ',14'"
        if !figure.xLabel.isEmpty { s += "set xlabel \(quoted(figure.xLabel))" }
        if !figure.yLabel.isEmpty { s += "set ylabel \(quoted(figure.yLabel))" }
        var d = Lines()
        switch figure.content {
        case let .lines(series, logX, logY):
            Self.lineChart(series, logX: logX, logY: logY, dataFile: dataFile, script: &s, data: &d)
        case let .heatmap(heatmap):
            Self.heatmap(heatmap, dataFile: dataFile, script: &s, data: &d)
        case let .scatter(groups, diagonal):
            Self.scatter(groups, diagonal: diagonal, dataFile: dataFile, script: &s, data: &d)
        case let .bars(labels, values):
            Self.bars(labels: labels, values: values, dataFile: dataFile, script: &s, data: &d)
        case let .intervals(labels, values, low, high):
            Self.intervals(labels: labels, values: values, low: low, high: high, dataFile: dataFile, script: &s, data: &d)
        }
        script = s.text
        data = d.text
    }

    private static func terminalLine(_ format: ImageFormat) -> String {
        switch format {
        case .png: return "set terminal pngcairo size 960,640 noenhanced font 'Sans,11'"
        case .svg: return "set terminal svg size 960,640 noenhanced font 'Sans,11' background '#ffffff'"
        case .pdf: return "set terminal pdfcairo size 7in,4.7in noenhanced font 'Sans,9'"
        }
    }

    private static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    private static func lineChart(_ series: [Series], logX: Bool, logY: Bool, dataFile: String, script s: inout Lines, data d: inout Lines) {
        s += "set grid lc rgb '#dddddd'"
        s += "set key below height 1"  // under the plot, never over the curves; the extra line keeps it off the x label
        if logX { s += "set logscale x" }
        if logY { s += "set logscale y" }
        var plots = [String]()
        for (index, line) in series.enumerated() {
            if index > 0 { d += ""; d += "" }
            d += "# \(line.name)"
            for (x, y) in zip(line.x, line.y) { d += "\(number(x)) \(number(y))" }
            let style = line.x.count > 40 ? "with lines lw 2" : "with linespoints pt 7 ps 0.7 lw 2"
            let color = colors[index % colors.count]
            plots.append("\(index == 0 ? quoted(dataFile) : "''") index \(index) using 1:2 \(style) lc rgb '\(color)' title \(quoted(line.name))")
        }
        s += "plot " + plots.joined(separator: ", \\\n     ")
    }

    private static func heatmap(_ map: Heatmap, dataFile: String, script s: inout Lines, data d: inout Lines) {
        let rows = map.values.count, columns = map.values.first?.count ?? 0
        let present = map.values.flatMap { $0 }.compactMap { $0 }.filter(\.isFinite)
        var low = map.range?.lowerBound ?? present.min() ?? 0
        var high = map.range?.upperBound ?? present.max() ?? 1
        if map.diverging && map.range == nil {
            let m = max(abs(low), abs(high), 1e-12)
            (low, high) = (-m, m)
        }
        if high <= low { high = low + 1 }
        s += "set xrange [-0.5:\(number(Double(columns) - 0.5))]"
        s += "set yrange [\(number(Double(rows) - 0.5)):-0.5]  # first row at the top"
        s += "set cbrange [\(number(low)):\(number(high))]"
        if !map.colorbarLabel.isEmpty { s += "set cblabel \(quoted(map.colorbarLabel))" }
        s += map.diverging
            ? "set palette defined (0 '#b2182b', 1 '#f4a582', 2 '#f7f7f7', 3 '#92c5de', 4 '#2166ac')"
            : "set palette defined (0 '#ffffd9', 1 '#c7e9b4', 2 '#41b6c4', 3 '#225ea8', 4 '#081d58')"
        s += ticsLine("xtics", map.columnLabels, count: columns, rotate: map.columnLabels.contains { $0.count > 4 })
        s += ticsLine("ytics", map.rowLabels, count: rows, rotate: false)
        s += "set tics nomirror scale 0"
        s += "unset key"
        if map.values.contains(where: { $0.contains { $0 == nil || !($0!.isFinite) } }) {
            s += "# Missing cells are not drawn, so this hatched background shows through them."
            s += "set object 1 rectangle from graph 0,0 to graph 1,1 behind fillcolor rgb '#bbbbbb' fillstyle pattern 4 noborder"
            s += "set label 1 'hatched cells: no value' at screen 0.01,0.03 font ',9'"
        }
        d += "# column row value label label-colour (missing cells are NaN)"
        for (i, row) in map.values.enumerated() {
            for (j, value) in row.enumerated() {
                if let value, value.isFinite {
                    let dark = map.diverging ? abs(value) > 0.6 * high : value > low + 0.6 * (high - low)
                    let label = map.showValues ? formatFixed(value, digits: map.digits) : ""
                    d += "\(j) \(i) \(number(value)) \"\(label)\" \(dark ? 0xffffff : 0x000000)"
                } else {
                    d += "\(j) \(i) NaN \"\" 0"
                }
            }
            d += ""
        }
        var plot = "plot \(quoted(dataFile)) using 1:2:3 with image"
        if map.showValues { plot += ", \\\n     '' using 1:2:4:5 with labels textcolor rgb variable font ',10'" }
        s += plot
    }

    private static func scatter(_ groups: [PointGroup], diagonal: Bool, dataFile: String, script s: inout Lines, data d: inout Lines) {
        s += "set grid lc rgb '#dddddd'"
        // A few groups fit in a corner box; many (one per method, say) get a legend of their own below the plot.
        s += groups.count > 3 ? "set key below height 1" : "set key top left box opaque Left reverse"
        let xs = groups.flatMap { $0.points.map(\.x) }, ys = groups.flatMap { $0.points.map(\.y) }
        if diagonal, let low = (xs + ys).min(), let high = (xs + ys).max() {
            let pad = max(high - low, 1e-9) * 0.06
            s += "set xrange [\(number(low - pad)):\(number(high + pad))]"
            s += "set yrange [\(number(low - pad)):\(number(high + pad))]"
            s += "set size ratio -1"
        } else {
            // Labels are written to the right of their points: leave room there.
            s += "set offsets graph 0.05, graph \(groups.contains { $0.points.contains { !$0.label.isEmpty } } ? "0.3" : "0.05"), graph 0.1, graph 0.1"
        }
        var plots = [String]()
        let sides = diagonal ? groups.map { $0.points.map { $0.label.isEmpty ? LabelSide.none : .right } } : legibleLabels(groups)
        for (index, group) in groups.enumerated() {
            if index > 0 { d += ""; d += "" }
            d += "# \(group.name): x y label-right label-left (a label goes left of its point when the right would run into"
            d += "# one written before it, and is left out when both would)"
            for (p, side) in zip(group.points, sides[index]) {
                let label = dataString(p.label)
                d += "\(number(p.x)) \(number(p.y)) \"\(side == .right ? label : "")\" \"\(side == .left ? label : "")\""
            }
            let color = colors[index % colors.count]
            let source = index == 0 ? quoted(dataFile) : "''"
            let size = group.points.count > 300 ? "0.4" : "1.3"  // many points: small dots
            // Filled circle, square, triangles, diamond, pentagon; with the colours, every group looks different.
            let shape = [7, 5, 9, 11, 13, 15][index % 6]
            plots.append("\(source) index \(index) using 1:2 with points pt \(shape) ps \(size) lc rgb '\(color)' title \(quoted(group.name))")
            if group.points.contains(where: { !$0.label.isEmpty }) {
                plots.append("'' index \(index) using 1:2:3 with labels offset char 0.7,0.5 left font ',9' tc rgb '\(color)' notitle")
                if sides[index].contains(.left) {
                    plots.append("'' index \(index) using 1:2:4 with labels offset char -0.7,0.5 right font ',9' tc rgb '\(color)' notitle")
                }
            }
        }
        if diagonal { plots.append("x with lines dt 2 lw 1.5 lc rgb '#777777' title 'y = x (perfect fit)'") }
        s += "plot " + plots.joined(separator: ", \\\n     ")
    }

    /// Where a point's label is written.
    enum LabelSide: Equatable { case right, left, none }

    /// Where to write each label of a scatter plot: in turn (groups in order, points in order), to the right of its
    /// point unless its box would overlap one already placed, then to the left, else nowhere. A box is estimated from
    /// the plot's ranges (with the offsets the script sets and room for gnuplot's rounding to tics) and the 9-point font
    /// of 960 × 640 figures, generously: a character 0.9% of the plot's width, a line 3% of its height, just above the point.
    static func legibleLabels(_ groups: [PointGroup]) -> [[LabelSide]] {
        let points = groups.flatMap(\.points)
        guard let minX = points.map(\.x).min(), let maxX = points.map(\.x).max(),
              let minY = points.map(\.y).min(), let maxY = points.map(\.y).max() else { return groups.map { $0.points.map { _ in .none } } }
        let width = max(maxX - minX, 1e-12) * 1.6, height = max(maxY - minY, 1e-12) * 1.3
        let char = 0.009 * width, line = 0.03 * height
        var placed = [(x0: Double, x1: Double, y0: Double, y1: Double)]()
        func free(_ box: (x0: Double, x1: Double, y0: Double, y1: Double)) -> Bool {
            !placed.contains { box.x0 < $0.x1 && $0.x0 < box.x1 && box.y0 < $0.y1 && $0.y0 < box.y1 }
        }
        return groups.map { group in
            group.points.map { p in
                guard !p.label.isEmpty else { return .none }
                let length = Double(p.label.count) * char
                let right = (x0: p.x + 0.7 * char, x1: p.x + 0.7 * char + length, y0: p.y, y1: p.y + line)
                let left = (x0: p.x - 0.7 * char - length, x1: p.x - 0.7 * char, y0: p.y, y1: p.y + line)
                if free(right) { placed.append(right); return .right }
                if free(left) { placed.append(left); return .left }
                return .none
            }
        }
    }

    private static func bars(labels: [String], values: [Double], dataFile: String, script s: inout Lines, data d: inout Lines) {
        let low = min(values.min() ?? 0, 0), high = max(values.max() ?? 0, 0)
        let pad = max(high - low, 1e-9) * 0.12
        s += "set style fill solid 0.85 border -1"
        s += "set grid ytics lc rgb '#dddddd'"
        s += "set xzeroaxis lt -1"
        s += "set yrange [\(number(low - (low < 0 ? pad : 0))):\(number(high + pad))]"
        categoryAxis(labels, script: &s)
        d += "# label value value-text label-height bar-colour"
        for (label, value) in zip(labels, values) {
            let labelY = value >= 0 ? value + pad * 0.3 : value - pad * 0.3
            let color = value >= 0 ? 0x4c72b0 : 0xc44e52
            d += "\"\(dataString(label))\" \(number(value)) \"\(formatFixed(value, digits: 3))\" \(number(labelY)) \(color)"
        }
        s += "plot \(quoted(dataFile)) using 0:2:(0.6):5:xtic(1) with boxes lc rgb variable, \\\n     '' using 0:4:3 with labels font ',10'"
    }

    private static func intervals(labels: [String], values: [Double], low: [Double], high: [Double], dataFile: String,
                                  script s: inout Lines, data d: inout Lines) {
        let bottom = low.min() ?? 0, top = high.max() ?? 1, pad = max(top - bottom, 1e-9) * 0.1
        s += "set grid ytics lc rgb '#dddddd'"
        s += "set yrange [\(number(bottom - pad)):\(number(top + pad))]"
        categoryAxis(labels, script: &s)
        d += "# label value low high"
        for index in values.indices {
            d += "\"\(dataString(labels[index]))\" \(number(values[index])) \(number(low[index])) \(number(high[index]))"
        }
        s += "plot \(quoted(dataFile)) using 0:2:3:4:xtic(1) with yerrorbars pt 7 ps 1.2 lc rgb '#1f77b4'"
    }

    /// The horizontal axis of a chart with one category per label: its range and tics, no key. Long labels are
    /// rotated, and the left margin grows so that the first one (which reaches left of its tic by about 0.8 of its
    /// length, in characters) is not cut off.
    private static func categoryAxis(_ labels: [String], script s: inout Lines) {
        s += "set xrange [-0.6:\(number(Double(labels.count) - 0.4))]"
        if labels.contains(where: { $0.count > 6 }) {
            s += "set xtics rotate by 30 right nomirror"
            s += "set lmargin \(max(10, Int((0.8 * Double(labels.first?.count ?? 0)).rounded(.up))))"
        } else {
            s += "set xtics nomirror"
        }
        s += "unset key"
    }

    private static func ticsLine(_ axis: String, _ labels: [String], count: Int, rotate: Bool) -> String {
        guard !labels.isEmpty else { return "set \(axis) 1" }
        let tics = labels.prefix(count).enumerated().map { "\(quoted($0.element)) \($0.offset)" }.joined(separator: ", ")
        return "set \(axis) (\(tics))" + (rotate ? " rotate by 30 right" : "")
    }
}

/// Builds text line by line.
struct Lines {
    private var lines = [String]()
    static func += (lines: inout Lines, line: String) { lines.lines.append(line) }
    var text: String { lines.joined(separator: "\n") + "\n" }
}

/// A gnuplot double-quoted string literal.
func quoted(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}

/// Text safe inside a quoted field of a gnuplot data file (which has no escapes).
func dataString(_ text: String) -> String { text.replacingOccurrences(of: "\"", with: "'") }

/// A number as gnuplot reads it: the shortest exact decimal, NaN for anything not finite.
func number(_ value: Double) -> String {
    guard value.isFinite else { return "NaN" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
    return "\(value)"
}
