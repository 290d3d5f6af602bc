/// A description of one figure: what to draw, not how. `GnuplotScript` turns it into a script.
public struct Figure: Sendable {
    /// The file stem: the figure is written as `NAME.gp`, `NAME.dat` and rendered to `NAME.png`.
    public var name: String
    /// The title printed above the plot.
    public var title: String
    /// The label of the horizontal axis.
    public var xLabel: String
    /// The label of the vertical axis.
    public var yLabel: String
    /// What is drawn.
    public var content: Content

    /// The kinds of figure the course draws.
    public enum Content: Sendable {
        /// Lines, one per named series, optionally on logarithmic axes.
        case lines([Series], logX: Bool, logY: Bool)
        /// A matrix as coloured cells.
        case heatmap(Heatmap)
        /// Points in groups, each point optionally labelled.
        case scatter([PointGroup], diagonal: Bool, logX: Bool)
        /// One bar per label.
        case bars(labels: [String], values: [Double])
        /// One point per label with an interval around it (for estimates with their uncertainty); an interval that runs
        /// past `bounds` (a metric's or a scale's ends) is cut there and marked.
        case intervals(labels: [String], values: [Double], low: [Double], high: [Double], bounds: ClosedRange<Double>?)
    }

    /// A figure with the given content.
    public init(name: String, title: String, xLabel: String = "", yLabel: String = "", content: Content) {
        self.name = name
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.content = content
    }

    /// A line chart of several named series.
    public static func lines(
        name: String, title: String, xLabel: String, yLabel: String,
        series: [Series], logX: Bool = false, logY: Bool = false
    ) -> Figure {
        Figure(name: name, title: title, xLabel: xLabel, yLabel: yLabel, content: .lines(series, logX: logX, logY: logY))
    }

    /// A heatmap of a matrix; `nil` cells are left blank.
    public static func heatmap(
        name: String, title: String, xLabel: String = "", yLabel: String = "",
        _ heatmap: Heatmap
    ) -> Figure {
        Figure(name: name, title: title, xLabel: xLabel, yLabel: yLabel, content: .heatmap(heatmap))
    }

    /// A scatter plot of labelled points; `diagonal` adds the line y = x (for fitted against actual); `logX` spreads
    /// values of several orders of magnitude (times from a millisecond to seconds).
    public static func scatter(
        name: String, title: String, xLabel: String, yLabel: String,
        groups: [PointGroup], diagonal: Bool = false, logX: Bool = false
    ) -> Figure {
        Figure(name: name, title: title, xLabel: xLabel, yLabel: yLabel, content: .scatter(groups, diagonal: diagonal, logX: logX))
    }

    /// One point per label with a vertical interval from `low` to `high` around it, cut at `bounds` when it runs past
    /// them (the cut ends are marked).
    public static func intervals(
        name: String, title: String, xLabel: String, yLabel: String,
        labels: [String], values: [Double], low: [Double], high: [Double], bounds: ClosedRange<Double>? = nil
    ) -> Figure {
        precondition(labels.count == values.count && low.count == values.count && high.count == values.count, "one value and interval per label")
        return Figure(
            name: name, title: title, xLabel: xLabel, yLabel: yLabel,
            content: .intervals(labels: labels, values: values, low: low, high: high, bounds: bounds))
    }

    /// A bar chart with one bar per label.
    public static func bars(
        name: String, title: String, xLabel: String = "", yLabel: String,
        labels: [String], values: [Double]
    ) -> Figure {
        precondition(labels.count == values.count, "one value per bar")
        return Figure(name: name, title: title, xLabel: xLabel, yLabel: yLabel, content: .bars(labels: labels, values: values))
    }
}

/// One named line of a line chart.
public struct Series: Sendable {
    /// The name shown in the legend.
    public var name: String
    /// The x values.
    public var x: [Double]
    /// The y values, one per x.
    public var y: [Double]
    /// Which look (colour and shape) the series takes, when series belong together (the training and validation
    /// curves of one setting); nil for a look of its own, in order.
    public var look: Int?
    /// Whether the line is dashed (the second of a pair that share a look).
    public var dashed = false

    /// A series of points (x[i], y[i]).
    public init(_ name: String, x: [Double], y: [Double], look: Int? = nil, dashed: Bool = false) {
        precondition(x.count == y.count, "series \(name): \(x.count) x values but \(y.count) y values")
        self.name = name
        self.x = x
        self.y = y
        self.look = look
        self.dashed = dashed
    }

    /// A series whose x values are 1, 2, 3, …
    public init(_ name: String, y: [Double], look: Int? = nil, dashed: Bool = false) {
        self.init(name, x: (1...max(y.count, 1)).prefix(y.count).map(Double.init), y: y, look: look, dashed: dashed)
    }
}

/// A matrix drawn as coloured cells, with optional row and column names.
public struct Heatmap: Sendable {
    /// The values, row by row; `nil` marks a missing cell, drawn blank.
    public var values: [[Double?]]
    /// Names of the rows (top to bottom), or empty for numbers.
    public var rowLabels: [String]
    /// Names of the columns (left to right), or empty for numbers.
    public var columnLabels: [String]
    /// The label of the colour bar.
    public var colorbarLabel: String
    /// The colour range; `nil` fits the data.
    public var range: ClosedRange<Double>?
    /// Whether to print each value in its cell (sensible for small matrices).
    public var showValues: Bool
    /// Digits after the decimal point for the values printed in cells.
    public var digits: Int
    /// Whether values run from negative to positive around zero (a diverging palette).
    public var diverging: Bool
    /// What a hatched (missing) cell means, written in the figure's corner.
    public var missingMeaning: String

    /// A heatmap of `values`.
    public init(
        _ values: [[Double?]], rowLabels: [String] = [], columnLabels: [String] = [],
        colorbarLabel: String = "", range: ClosedRange<Double>? = nil, showValues: Bool? = nil,
        digits: Int = 1, diverging: Bool = false, missingMeaning: String = "no value"
    ) {
        self.values = values
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.colorbarLabel = colorbarLabel
        self.range = range
        self.showValues = showValues ?? (values.count <= 25 && (values.first?.count ?? 0) <= 25)
        self.digits = digits
        self.diverging = diverging
        self.missingMeaning = missingMeaning
    }
}

/// A named group of points in a scatter plot.
public struct PointGroup: Sendable {
    /// The name shown in the legend.
    public var name: String
    /// The points.
    public var points: [Point]

    /// A group of points.
    public init(_ name: String, points: [Point]) {
        self.name = name
        self.points = points
    }
}

/// One point of a scatter plot, optionally labelled.
public struct Point: Sendable {
    /// Horizontal position.
    public var x: Double
    /// Vertical position.
    public var y: Double
    /// Text written beside the point; empty for none.
    public var label: String

    /// A point at (x, y) with an optional label.
    public init(x: Double, y: Double, label: String = "") {
        self.x = x
        self.y = y
        self.label = label
    }
}

/// The image formats gnuplot renders to.
public enum ImageFormat: String, CaseIterable, Sendable {
    /// PNG through the cairo terminal.
    case png
    /// Scalable vector graphics.
    case svg
    /// PDF through the cairo terminal.
    case pdf

    /// The gnuplot terminal that writes this format.
    public var terminal: String {
        switch self {
        case .png: return "pngcairo"
        case .svg: return "svg"
        case .pdf: return "pdfcairo"
        }
    }
}
