import Foundation
import TextOutput

extension ClosedRange where Bound == Double {
    /// The value moved into the range.
    fileprivate func clamp(_ value: Double) -> Double { Swift.min(Swift.max(value, lowerBound), upperBound) }
}

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
        // The terminal follows the output file's extension, so `-e "outfile='slide.pdf'"` writes a real PDF.
        s += "if (!exists(\"outfile\")) outfile = '\(Self.imageFile(figure.name, format))'"
        s += "extension = strlen(outfile) > 4 ? outfile[strlen(outfile) - 3:] : ''"
        s +=
            "if (extension eq '.pdf') { \(Self.terminalLine(.pdf)) } else { if (extension eq '.svg') { \(Self.terminalLine(.svg)) } else { \(Self.terminalLine(.png)) } }"
        s += "set output outfile"
        let titleAt = s.count
        if !figure.xLabel.isEmpty { s += "set xlabel \(quoted(typeset(figure.xLabel)))" }
        if !figure.yLabel.isEmpty { s += "set ylabel \(quoted(typeset(figure.yLabel)))" }
        var d = Lines()
        switch figure.content {
        case let .lines(series, logX, logY):
            Self.lineChart(series, logX: logX, logY: logY, xLabel: figure.xLabel, dataFile: dataFile, script: &s, data: &d)
        case let .heatmap(heatmap):
            Self.heatmap(heatmap, dataFile: dataFile, script: &s, data: &d)
        case let .scatter(groups, diagonal, logX):
            Self.scatter(groups, diagonal: diagonal, logX: logX && !diagonal, dataFile: dataFile, script: &s, data: &d)
        case let .bars(labels, values):
            Self.bars(labels: labels, values: values, dataFile: dataFile, script: &s, data: &d)
        case let .intervals(labels, values, low, high, bounds):
            Self.intervals(labels: labels, values: values, low: low, high: high, bounds: bounds, dataFile: dataFile, script: &s, data: &d)
        }
        // The title goes in last, in its place near the top: the content may have added notes to it (labels left out,
        // points above the plot, cut intervals), which would collide with anything drawn at the top of the plot.
        // Its lines are joined by gnuplot's own \n escape inside the quoted string.
        let lines = Self.titleLines(typeset(figure.title)) + s.notes
        s.insert("set title \(lines.map(quoted).joined(separator: " . \"\\n\" . ")) font ',14'", at: titleAt)
        if !s.notes.isEmpty { s.insert("set tmargin \(3 + lines.count)", at: titleAt + 1) }
        script = s.text
        data = d.text
    }

    /// A title that fits the figure's width: past about 80 characters it is broken, at a space, into two lines.
    static func titleLines(_ title: String, width: Int = 80) -> [String] {
        guard title.count > width else { return [title] }
        let words = title.split(separator: " ", omittingEmptySubsequences: false)
        var first = "", index = 0
        while index < words.count, first.count + words[index].count + (first.isEmpty ? 0 : 1) <= min(width, title.count / 2 + 10) {
            first += (first.isEmpty ? "" : " ") + words[index]
            index += 1
        }
        guard index > 0, index < words.count else { return [title] }
        return [first, words[index...].joined(separator: " ")]
    }

    private static func terminalLine(_ format: ImageFormat) -> String {
        switch format {
        case .png: return "set terminal pngcairo size 960,640 noenhanced font 'Sans,11'"
        case .svg: return "set terminal svg size 960,640 noenhanced font 'Sans,11' background '#ffffff'"
        case .pdf: return "set terminal pdfcairo size 7in,4.7in noenhanced font 'Sans,9'"
        }
    }

    /// The course's palette: Paul Tol's "muted" scheme, nine colours that readers with any common colour-vision
    /// deficiency tell apart, on screen and in print. A figure uses each at most once; past nine, dashes tell series apart.
    static let palette = ["#332288", "#117733", "#CC6677", "#882255", "#44AA99", "#999933", "#AA4499", "#88CCEE", "#DDCC77"]

    /// The colour of text written in a palette colour: the two pale ones darkened, so that labels stay legible on white.
    static func textColor(_ color: String) -> String {
        ["#88CCEE": "#3A7D9C", "#DDCC77": "#8A7A2E"][color] ?? color
    }
    /// Point shapes (filled circle, square, triangles, diamond, pentagon, and open ones), one per series with the colours.
    static let shapes = [7, 5, 9, 11, 13, 15, 6, 4, 8]

    /// The look of series `index`: its colour, its point shape and its dash type (solid until the colours run out).
    static func style(_ index: Int) -> (color: String, shape: Int, dash: Int) {
        (palette[index % palette.count], shapes[index % shapes.count], 1 + index / palette.count)
    }

    /// A legend below the plot, never over the data: its entries side by side in as few rows as fit, centred, with
    /// room made for it in the bottom margin (the x label and tic labels keep theirs).
    static func keyBelow(_ titles: [String], script s: inout Lines) {
        let widest = titles.map(\.count).max() ?? 0
        // Columns are as wide as the widest entry: a few entries are stacked in one column, so that they sit together.
        let columns = titles.count <= 3 ? 1 : max(1, min(titles.count, 100 / (widest + 8)))
        let rows = (titles.count + columns - 1) / columns
        s += "set bmargin \(4 + rows)"
        s += "set key at screen 0.5, 0.01 center bottom \(columns == 1 ? "vertical" : "horizontal") Left reverse samplen 3 maxrows \(rows)"
    }

    /// For a chart of a few points per series (a grid of settings), the top of a y axis that keeps the lines readable
    /// when one or two values lie far above the rest (beyond the upper quartile plus five interquartile ranges), and
    /// how many points it leaves above; nil when every value fits.
    static func readableTop(_ series: [Series]) -> (top: Double, above: Int)? {
        guard series.allSatisfy({ $0.y.count <= 12 }) else { return nil }
        let values = series.flatMap(\.y).filter(\.isFinite).sorted()
        guard values.count >= 6 else { return nil }
        func quantile(_ q: Double) -> Double { values[Int((q * Double(values.count - 1)).rounded())] }
        let q1 = quantile(0.25), q3 = quantile(0.75), spread = q3 - q1
        guard spread > 0 else { return nil }
        let fence = q3 + 5 * spread, outliers = values.filter { $0 > fence }, above = outliers.count
        guard above > 0, above <= max(1, values.count / 10), let lowestOutlier = outliers.first else { return nil }
        let kept = values.filter { $0 <= fence }
        let top = (kept.last ?? fence) + 0.1 * ((kept.last ?? fence) - (kept.first ?? fence))
        return top < lowestOutlier ? (top, above) : nil
    }

    /// Tics for a linear axis of large values, written with thousands separated ("35,000"): about six at a round step
    /// (1, 2 or 5 times a power of ten) from `low` to `high`. Empty when the values are below 10,000.
    static func groupedTics(_ low: Double, _ high: Double) -> [(label: String, value: Double)] {
        guard high >= 10_000, high > low else { return [] }
        let raw = (high - low) / 6, power = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? 10 * power
        var tics = [(label: String, value: Double)](), value = ceil(low / step) * step
        while value <= high + step * 1e-9 {
            tics.append((readable(value), value))
            value += step
        }
        return tics
    }

    /// The tics 1, 2, 3 and 5 times a power of ten between `low` and `high`.
    static func logTics(_ low: Double, _ high: Double) -> [Double] {
        guard low > 0, high > low else { return [] }
        var tics = [Double]()
        for exponent in Int(floor(log10(low)))...Int(ceil(log10(high))) {
            for mantissa in [1.0, 2, 3, 5] {
                let value = Double(String(format: "%.12g", mantissa * pow(10, Double(exponent)))) ?? 0
                if value >= low && value <= high { tics.append(value) }
            }
        }
        return tics
    }

    /// Whether an axis from `low` to `high` is drawn from 0: when no value is negative and the smallest is near 0 next
    /// to the largest (a time, a count, an epoch), not when the values sit far from 0 (λ from 0.06 to 0.1).
    static func startsAtZero(_ low: Double, _ high: Double) -> Bool { low >= 0 && low <= 0.25 * high }

    /// The range of a logarithmic axis: from just below the smallest positive value to just above the largest, so that
    /// no empty decade pads either end.
    static func logRange(_ values: [Double]) -> String? {
        let positive = values.filter { $0 > 0 && $0.isFinite }
        guard let low = positive.min(), let high = positive.max() else { return nil }
        return "[\(tidy(low / 1.15)):\(tidy(high * 1.15))]"
    }

    private static func lineChart(
        _ series: [Series], logX: Bool, logY: Bool, xLabel: String, dataFile: String, script s: inout Lines, data d: inout Lines
    ) {
        s += "set grid lc rgb '#dddddd'"
        keyBelow(series.map(\.name), script: &s)
        if logX {
            s += "set logscale x"
            s += "set format x '%g'"
            if let range = logRange(series.flatMap(\.x)) { s += "set xrange \(range)" }
            // A few values tried (k = 5, 10, 20, …): a tic at each of them, not only at the powers of ten.
            let tried = Set(series.flatMap(\.x).filter { $0 > 0 }).sorted()
            // From 10,000 on, each labelled with its thousands separated ("120,000"), as the linear axes are.
            if tried.count <= 12 {
                let large = (tried.last ?? 0) >= 10_000
                s += "set xtics (" + tried.map { large ? "\(quoted(readable($0))) \(number($0))" : number($0) }.joined(separator: ", ") + ")"
            }
        } else if let low = series.flatMap(\.x).min(), let high = series.flatMap(\.x).max(), startsAtZero(low, high) {
            // A count or a time that starts near 0 is drawn from 0, with a sliver of room so that no marker sits on the
            // frame at either end.
            s += "set xrange [\(tidy(-0.015 * high)):\(tidy(high * 1.03))]"
        }
        // Room at the ends, so that no line runs along the frame and no marker is cut in half by it; a measure that is
        // never negative (an error, a share) is not drawn below 0.
        let ys = series.flatMap(\.y).filter(\.isFinite)
        let floorAtZero = !logY && (ys.min() ?? -1) >= 0 && (ys.min() ?? 0) <= 0.25 * (ys.max() ?? 0)
        if !logY {
            let sides = startsAtZero(series.flatMap(\.x).min() ?? 0, series.flatMap(\.x).max() ?? 1) || logX ? "0, 0" : "graph 0.03, graph 0.03"
            s += "set offsets \(sides), graph 0.04, \(floorAtZero ? "0" : "graph 0.04")"
            if floorAtZero, readableTop(series) == nil {
                // A share that reaches 1 keeps a little room above, so that its line does not run along the frame.
                let top = ys.max() ?? 1
                // A sliver below 0 too, so that a line at 0 does not run along the frame (no tic goes below 0).
                s += top <= 1 && top >= 0.9 ? "set yrange [-0.02:1.04]" : "set yrange [\(tidy(-0.015 * top)):*]"
            }
        }
        if logY {
            s += "set logscale y"
            s += "set format y '%g'"
            if let range = logRange(series.flatMap(\.y)) { s += "set yrange \(range)" }
            // Within a decade or two, tics at 1, 2, 3 and 5 of each decade, so that the end value can be read.
            let positive = series.flatMap(\.y).filter { $0 > 0 && $0.isFinite }
            if let low = positive.min(), let high = positive.max(), high / low < 300 {
                s += "set ytics (" + logTics(low / 1.15, high * 1.15).map(number).joined(separator: ", ") + ")"
            }
        } else if let (top, above) = readableTop(series) {
            // One setting far above the rest (a run stopped early on a plateau, say) would squash every other line.
            s += "set yrange [*:\(tidy(top))]"
            let outliers = series.flatMap { line in zip(line.x, line.y).filter { $0.1 > top }.map { (line.name, $0.0, $0.1) } }
            // Each cut point named by its line and x (in the x axis's words), up to three of them; beyond that, a count.
            let at = xLabel.isEmpty ? "at" : "at \(xLabel)"
            s.notes.append(
                above == outliers.count && outliers.count <= 3
                    ? "(above the top of the plot: "
                        + outliers.map { "\($0.0) \(at) \(number($0.1)), \(readable($0.2))" }.joined(separator: "; ") + ")"
                    : "(\(above) points above the top of the plot)")
        }
        if !logY, let low = ys.min(), let high = ys.max() {
            let tics = groupedTics(floorAtZero ? 0 : low, high)
            if !tics.isEmpty { s += "set ytics (" + tics.map { "\(quoted($0.label)) \(number($0.value))" }.joined(separator: ", ") + ")" }
        }
        var plots = [String]()
        for (index, line) in series.enumerated() {
            if index > 0 { d += ""; d += "" }
            d += "# \(line.name)"
            for (x, y) in zip(line.x, line.y) { d += "\(number(x)) \(number(y))" }
            var look = style(line.look ?? index)
            if line.dashed { look.dash = 2 }
            // A series that does not change with x (a baseline, a target) is a plain dashed line, not a row of markers.
            let constant = line.y.count > 1 && Set(line.y).count == 1
            let drawn =
                constant
                ? "with lines dt 2 lw 2"
                // A long series still carries its shape every so often, so that lines stay apart without colour.
                : line.x.count > 40
                    ? "with linespoints dt \(look.dash) pt \(look.shape) pi \(max(line.x.count / 8, 1)) ps 0.8 lw 2"
                    : "with linespoints dt \(look.dash) pt \(look.shape) ps 0.8 lw 2"
            plots.append("\(index == 0 ? quoted(dataFile) : "''") index \(index) using 1:2 \(drawn) lc rgb '\(look.color)' title \(quoted(typeset(line.name)))")
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
        s +=
            map.diverging
            ? "set palette defined (0 '#b2182b', 1 '#f4a582', 2 '#f7f7f7', 3 '#92c5de', 4 '#2166ac')"
            : "set palette defined (0 '#ffffd9', 1 '#c7e9b4', 2 '#41b6c4', 3 '#225ea8', 4 '#081d58')"
        s += ticsLine("xtics", map.columnLabels, count: columns, rotate: map.columnLabels.contains { $0.count > 4 })
        s += ticsLine("ytics", map.rowLabels, count: rows, rotate: false)
        s += "set tics nomirror scale 0"
        s += "unset key"
        if map.values.contains(where: { $0.contains { $0 == nil || !($0!.isFinite) } }) {
            s += "# Missing cells are not drawn, so this hatched background shows through them."
            s += "set object 1 rectangle from graph 0,0 to graph 1,1 behind fillcolor rgb '#bbbbbb' fillstyle pattern 4 noborder"
            s += "set label 1 \(quoted("hatched cells: " + map.missingMeaning)) at screen 0.01,0.03 font ',9'"
        }
        d += "# column row value label label-colour (missing cells are NaN)"
        for (i, row) in map.values.enumerated() {
            for (j, value) in row.enumerated() {
                if let value, value.isFinite {
                    let dark = map.diverging ? abs(value) > 0.6 * high : value > low + 0.6 * (high - low)
                    // A value that rounds to 0 but is not 0 is written "<0.01", as a person would.
                    let tiny = value != 0 && abs(value) < 0.5 * pow(10, -Double(map.digits))
                    let label =
                        map.showValues
                        ? (tiny ? "<" + formatFixed(pow(10, -Double(map.digits)), digits: map.digits) : formatFixed(value, digits: map.digits)) : ""
                    d += "\(j) \(i) \(number(value)) \"\(label)\" \(dark ? 0xffffff : 0x000000)"
                } else {
                    d += "\(j) \(i) NaN \"\" 0"
                }
            }
            d += ""
        }
        // Each cell drawn as its own rectangle ("pixels"), so that an SVG or PDF stays sharp at any size.
        var plot = "plot \(quoted(dataFile)) using 1:2:3 with image pixels"
        if map.showValues { plot += ", \\\n     '' using 1:2:4:5 with labels textcolor rgb variable font ',10'" }
        s += plot
    }

    private static func scatter(_ groups: [PointGroup], diagonal: Bool, logX: Bool = false, dataFile: String, script s: inout Lines, data d: inout Lines) {
        s += "set grid lc rgb '#dddddd'"
        var groups = groups, layout: Labels
        // One point per group (a method, say) and no labels: the points are named where they stand, and the legend is
        // kept only when some name finds no room.
        let single = groups.count > 1 && !diagonal && groups.allSatisfy { $0.points.count == 1 && $0.points[0].label.isEmpty }
        if single {
            let named = groups.map { PointGroup($0.name, points: [Point(x: $0.points[0].x, y: $0.points[0].y, label: $0.name)]) }
            let direct = legibleLabels(named, logX: logX)
            if direct.dropped == 0 { groups = named }
        }
        let direct = single && groups.allSatisfy { !$0.points[0].label.isEmpty }
        if direct { s += "unset key" } else { keyBelow(groups.map(\.name) + (diagonal ? ["y = x (perfect fit)"] : []), script: &s) }
        layout =
            diagonal
            ? Labels(groups.map { $0.points.map { $0.label.isEmpty ? .none : .right } }, unlabelled: groups.flatMap(\.points).filter { $0.label.isEmpty }.count)
            : legibleLabels(groups, logX: logX)
        let xs = groups.flatMap { $0.points.map(\.x) }, ys = groups.flatMap { $0.points.map(\.y) }
        if diagonal, let low = (xs + ys).min(), let high = (xs + ys).max() {
            let pad = max(high - low, 1e-9) * 0.06
            s += "set xrange [\(number(low - pad)):\(number(high + pad))]"
            s += "set yrange [\(number(low - pad)):\(number(high + pad))]"
            s += "set size ratio -1"
        } else if logX, let minX = xs.filter({ $0 > 0 }).min(), let maxX = xs.max() {
            // Offsets are fractions of the range in decades.
            let span = max(log10(maxX) - log10(minX), 1e-9)
            s += "set logscale x"
            s += "set format x '%g'"  // 0.001, 0.1, 10: not 0.00100
            s += "set xrange [\(tidy(pow(10, log10(minX) - layout.leftOffset * span))):\(tidy(pow(10, log10(maxX) + layout.rightOffset * span)))]"
            s += "set autoscale yfix"
            s += "set offsets 0, 0, graph 0.1, graph 0.1"
        } else if let minX = xs.min(), let maxX = xs.max() {
            // The x range hugs the data with just the room the labels need, and a time or a count never runs left of 0;
            // the y range hugs the data with a tenth of room each way.
            let span = max(maxX - minX, 1e-9)
            let low = minX - layout.leftOffset * span, high = maxX + layout.rightOffset * span
            s += "set xrange [\(tidy(startsAtZero(minX, maxX) && low < 0 ? 0 : low)):\(tidy(high))]"
            s += "set autoscale yfix"
            s += "set offsets 0, 0, graph 0.1, graph 0.1"
        }
        if layout.dropped > 0 {
            s.notes.append("(\(layout.dropped) label\(layout.dropped == 1 ? "" : "s") left out: no room beside the point\(layout.dropped == 1 ? "" : "s"))")
        }
        var plots = [String]()
        for (index, group) in groups.enumerated() {
            if index > 0 { d += ""; d += "" }
            d += "# \(group.name): x y label-right label-left label-above label-below (each label is written on the first side"
            d += "# where it overlaps no other label and no point, and is left out when no side is free)"
            for (p, side) in zip(group.points, layout.sides[index]) {
                let label = dataString(typeset(p.label))
                let columns = [LabelSide.right, .left, .above, .below].map { side == $0 ? "\"\(label)\"" : "\"\"" }
                d += "\(number(p.x)) \(number(p.y)) " + columns.joined(separator: " ")
            }
            let look = style(index)
            let source = index == 0 ? quoted(dataFile) : "''"
            let size = group.points.count > 300 ? "0.4" : "1.3"  // many points: small dots
            plots.append(
                "\(source) index \(index) using 1:2 with points pt \(look.shape) ps \(size) lc rgb '\(look.color)' title \(quoted(typeset(group.name)))")
            let used = Set(layout.sides[index])
            for (column, side, placement) in [
                (3, LabelSide.right, "offset char 0.8,0 left"), (4, .left, "offset char -0.8,0 right"),
                (5, .above, "offset char 0,1.05 center"), (6, .below, "offset char 0,-1.05 center")
            ]
            where used.contains(side) {
                plots.append("'' index \(index) using 1:2:\(column) with labels \(placement) font ',9' tc rgb '\(textColor(look.color))' notitle")
            }
        }
        if diagonal { plots.append("x with lines dt 2 lw 1.5 lc rgb '#777777' title 'y = x (perfect fit)'") }
        s += "plot " + plots.joined(separator: ", \\\n     ")
    }

    /// Where a point's label is written.
    enum LabelSide: Equatable, Hashable { case right, left, above, below, none }

    /// The labels of a scatter plot laid out: a side for every point, how many labels had no room, and how far past
    /// the outermost points the labels reach (fractions of the x range, for the plot's left and right offsets).
    struct Labels: Equatable {
        var sides: [[LabelSide]]
        var leftOffset = 0.05, rightOffset = 0.05
        var unlabelled = 0
        var dropped: Int { sides.joined().filter { $0 == .none }.count - unlabelled }

        init(_ sides: [[LabelSide]], leftOffset: Double = 0.05, rightOffset: Double = 0.05, unlabelled: Int = 0) {
            self.sides = sides
            self.leftOffset = leftOffset
            self.rightOffset = rightOffset
            self.unlabelled = unlabelled
        }
    }

    /// Where to write each label of a scatter plot: in turn (groups in order, points in order), on the first of the
    /// right, the left, above and below where its box overlaps no label already placed and no point, else nowhere.
    /// Boxes are estimated from the plot's ranges and the 9-point font of 960 × 640 figures, a little generously: a
    /// character 0.75% of the plotted width, a line 3.2% of the plotted height; a point's marker is about a character square.
    static func legibleLabels(_ groups: [PointGroup], logX: Bool = false) -> Labels {
        // On a log axis, boxes are measured in decades.
        let groups =
            logX ? groups.map { g in PointGroup(g.name, points: g.points.map { Point(x: log10(max($0.x, 1e-300)), y: $0.y, label: $0.label) }) } : groups
        let points = groups.flatMap(\.points)
        let unlabelled = points.filter { $0.label.isEmpty }.count
        guard let minX = points.map(\.x).min(), let maxX = points.map(\.x).max(),
            let minY = points.map(\.y).min(), let maxY = points.map(\.y).max()
        else {
            return Labels(groups.map { $0.points.map { _ in .none } }, unlabelled: unlabelled)
        }
        let spanX = max(maxX - minX, 1e-12), spanY = max(maxY - minY, 1e-12)
        let width = spanX * 1.35, height = spanY * 1.2  // the plotted ranges, offsets included
        let char = 0.0075 * width, line = 0.032 * height
        typealias Box = (x0: Double, x1: Double, y0: Double, y1: Double)
        // Every marker is an obstacle from the start, so that no label covers a point.
        var placed: [Box] = points.map { (x0: $0.x - 0.6 * char, x1: $0.x + 0.6 * char, y0: $0.y - 0.4 * line, y1: $0.y + 0.4 * line) }
        // A label keeps half a character clear of every other label, so that two labels never touch and read as one
        // (the markers, placed first, need no such gap: a label sits right beside its own point).
        let markers = placed.count, gap = 0.5 * char
        func free(_ box: Box) -> Bool {
            !placed.indices.contains { index in
                let other = placed[index], g = index < markers ? 0 : gap
                return box.x0 - g < other.x1 && other.x0 < box.x1 + g && box.y0 < other.y1 && other.y0 < box.y1
            }
        }
        var reach = maxX, reachLeft = minX
        let sides = groups.map { group in
            group.points.map { p -> LabelSide in
                guard !p.label.isEmpty else { return .none }
                let length = Double(p.label.count) * char
                let candidates: [(LabelSide, Box)] = [
                    (.right, (p.x + 0.8 * char, p.x + 0.8 * char + length, p.y - 0.5 * line, p.y + 0.5 * line)),
                    (.left, (p.x - 0.8 * char - length, p.x - 0.8 * char, p.y - 0.5 * line, p.y + 0.5 * line)),
                    (.above, (p.x - length / 2, p.x + length / 2, p.y + 0.55 * line, p.y + 1.55 * line)),
                    (.below, (p.x - length / 2, p.x + length / 2, p.y - 1.55 * line, p.y - 0.55 * line))
                ]
                for (side, box) in candidates where free(box) {
                    placed.append(box)
                    reach = max(reach, box.x1)
                    reachLeft = min(reachLeft, box.x0)
                    return side
                }
                return .none
            }
        }
        func offset(_ beyond: Double) -> Double { min(max(0.05, beyond / spanX + 0.03), 0.45) }
        return Labels(sides, leftOffset: offset(minX - reachLeft), rightOffset: offset(reach - maxX), unlabelled: unlabelled)
    }

    private static func bars(labels: [String], values: [Double], dataFile: String, script s: inout Lines, data d: inout Lines) {
        let low = min(values.min() ?? 0, 0), high = max(values.max() ?? 0, 0)
        let pad = max(high - low, 1e-9) * 0.12
        s += "set style fill solid 0.85 border -1"
        s += "set grid ytics lc rgb '#dddddd'"
        s += "set xzeroaxis lt -1"
        s += "set yrange [\(number(low - (low < 0 ? pad : 0))):\(number(high + pad))]"
        let tics = groupedTics(low, high)
        if !tics.isEmpty { s += "set ytics (" + tics.map { "\(quoted($0.label)) \(number($0.value))" }.joined(separator: ", ") + ")" }
        categoryAxis(labels, script: &s)
        d += "# label value value-text label-height bar-colour"
        for (label, value) in zip(labels, values) {
            let labelY = value >= 0 ? value + pad * 0.3 : value - pad * 0.3
            let color = value >= 0 ? 0x332288 : 0xCC6677
            // An empty bar (a half-star rating nobody gave) carries no "0" label.
            d += "\"\(dataString(typeset(label)))\" \(number(value)) \"\(value == 0 ? "" : readable(value))\" \(number(labelY)) \(color)"
        }
        s += "plot \(quoted(dataFile)) using 0:2:(0.6):5:xtic(1) with boxes lc rgb variable, \\\n     '' using 0:4:3 with labels font ',10'"
    }

    /// A value as a person writes it on a chart: a whole number with thousands separated ("6,110"), else as many
    /// decimals as its size needs (two from 1 on, three below).
    static func readable(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        if value == value.rounded(), abs(value) < 1e15 {
            let digits = String(Int(abs(value))),
                grouped = stride(from: digits.count, to: 0, by: -3).reversed().map {
                    String(digits[digits.index(digits.startIndex, offsetBy: max($0 - 3, 0))..<digits.index(digits.startIndex, offsetBy: $0)])
                }.joined(separator: ",")
            return (value < 0 ? "-" : "") + grouped
        }
        return formatFixed(value, digits: abs(value) >= 100 ? 0 : abs(value) >= 1 ? 2 : 3)
    }

    private static func intervals(
        labels: [String], values: [Double], low: [Double], high: [Double], bounds: ClosedRange<Double>?,
        dataFile: String, script s: inout Lines, data d: inout Lines
    ) {
        let cutLow = low.map { value in bounds.map { value < $0.lowerBound } ?? false }
        let cutHigh = high.map { value in bounds.map { value > $0.upperBound } ?? false }
        let shownLow = low.map { bounds?.clamp($0) ?? $0 }, shownHigh = high.map { bounds?.clamp($0) ?? $0 }
        let bottom = min(shownLow.min() ?? 0, values.min() ?? 0), top = max(shownHigh.max() ?? 1, values.max() ?? 1)
        let pad = max(top - bottom, 1e-9) * 0.1
        s += "set grid ytics lc rgb '#dddddd'"
        // A bounded metric's axis never runs past its bound by more than the room the cut markers need.
        let axisLow = bounds.map { cutLow.contains(true) ? $0.lowerBound - pad : max($0.lowerBound, bottom - pad) } ?? bottom - pad
        let axisHigh = bounds.map { cutHigh.contains(true) ? $0.upperBound + pad : min($0.upperBound, top + pad) } ?? top + pad
        s += "set yrange [\(tidy(axisLow)):\(tidy(axisHigh))]"
        categoryAxis(labels, script: &s)
        d += "# label value low high cut-low cut-high (an interval that runs past the bounds is cut there; the cut end is marked)"
        for index in values.indices {
            // A cut end's marker sits just beyond the bound, clear of the point.
            d +=
                "\"\(dataString(typeset(labels[index])))\" \(number(values[index])) \(number(shownLow[index])) \(number(shownHigh[index]))"
                + " \(cutLow[index] ? number(shownLow[index] - pad / 2) : "NaN") \(cutHigh[index] ? number(shownHigh[index] + pad / 2) : "NaN")"
        }
        var plot = "plot \(quoted(dataFile)) using 0:2:3:4:xtic(1) with yerrorbars pt 7 ps 1.2 lc rgb '\(palette[0])'"
        if cutLow.contains(true) || cutHigh.contains(true) {
            plot +=
                ", \\\n     '' using 0:5 with points pt 10 ps 1.6 lc rgb '\(palette[2])', \\\n     '' using 0:6 with points pt 8 ps 1.6 lc rgb '\(palette[2])'"
            let count = zip(cutLow, cutHigh).filter { $0 || $1 }.count
            s.notes.append("(open triangle: \(count) interval\(count == 1 ? "" : "s") cut at the end of the scale)")
        }
        s += plot
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

/// Builds text line by line, and collects the notes a figure adds under its title.
struct Lines {
    private var lines = [String]()
    /// Short remarks shown under the title ("3 labels left out: no room"), where nothing is drawn.
    var notes = [String]()
    static func += (lines: inout Lines, line: String) { lines.lines.append(line) }
    var count: Int { lines.count }
    mutating func insert(_ line: String, at index: Int) { lines.insert(line, at: index) }
    var text: String { lines.joined(separator: "\n") + "\n" }
}

/// Text for a figure: an underscore that marks a subscript in the course's notation (b_u, b_i, x_uij) becomes the
/// Unicode subscript letters, since the scripts print text as it is (no markup).
func typeset(_ text: String) -> String {
    let subscripts: [Character: Character] = ["u": "ᵤ", "i": "ᵢ", "j": "ⱼ", "k": "ₖ", "n": "ₙ"]
    var out = "", chars = Array(text), index = 0
    while index < chars.count {
        if chars[index] == "_", index > 0, chars[index - 1].isLetter, index + 1 < chars.count, subscripts[chars[index + 1]] != nil {
            var end = index + 1
            while end < chars.count, chars[end].isLetter { end += 1 }
            let run = chars[(index + 1)..<end]
            if run.allSatisfy({ subscripts[$0] != nil }) {
                out += String(run.map { subscripts[$0]! })
                index = end
                continue
            }
        }
        out.append(chars[index])
        index += 1
    }
    return out
}

/// A gnuplot double-quoted string literal.
func quoted(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}

/// Text safe inside a quoted field of a gnuplot data file (which has no escapes).
func dataString(_ text: String) -> String { text.replacingOccurrences(of: "\"", with: "'") }

/// An axis limit to six significant digits, as a person would write it in a script (no 0.6599999999999999).
func tidy(_ value: Double) -> String { number(Double(String(format: "%.6g", value)) ?? value) }

/// A number as gnuplot reads it: the shortest exact decimal, NaN for anything not finite.
func number(_ value: Double) -> String {
    guard value.isFinite else { return "NaN" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
    return "\(value)"
}
