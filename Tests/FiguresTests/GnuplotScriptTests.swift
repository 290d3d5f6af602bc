import Foundation
@testable import Figures
import TestSupport
import Testing
import TextOutput

@Suite("Gnuplot scripts")
struct GnuplotScriptTests {
    @Test("a line chart's script and data, as text")
    func lineChart() {
        let figure = Figure.lines(
            name: "loss", title: "Loss per epoch", xLabel: "epoch", yLabel: "MSE",
            series: [Series("train", y: [4, 2.5]), Series("test \"held out\"", x: [1, 2], y: [5, 3])],
            logY: true)
        let script = GnuplotScript(figure)
        #expect(
            script.script == """
                # loss.gp: Loss per epoch
                # Written by cf-lessons. Rebuild the picture here with: gnuplot loss.gp
                # Another output file: gnuplot -e "outfile='slide.png'" loss.gp
                if (!exists("outfile")) outfile = 'loss.png'
                extension = strlen(outfile) > 4 ? outfile[strlen(outfile) - 3:] : ''
                if (extension eq '.pdf') { set terminal pdfcairo size 7in,4.7in noenhanced font 'Sans,9' } else { if (extension eq '.svg') { set terminal svg size 960,640 noenhanced font 'Sans,11' background '#ffffff' } else { set terminal pngcairo size 960,640 noenhanced font 'Sans,11' } }
                set output outfile
                set title "Loss per epoch" font ',14'
                set xlabel "epoch"
                set ylabel "MSE"
                set grid lc rgb '#dddddd'
                set bmargin 6
                set key at screen 0.5, 0.01 center bottom vertical Left reverse samplen 3 maxrows 2
                set logscale y
                set format y '%g'
                set yrange [2.17391:5.75]
                set ytics (3, 5)
                plot "loss.dat" index 0 using 1:2 with linespoints dt 1 pt 7 ps 0.8 lw 2 lc rgb '#332288' title "train", \\
                     '' index 1 using 1:2 with linespoints dt 1 pt 5 ps 0.8 lw 2 lc rgb '#117733' title "test \\"held out\\""

                """)
        #expect(script.data == "# train\n1 4\n2 2.5\n\n\n# test \"held out\"\n1 5\n2 3\n")
    }

    @Test("the output file's extension picks the terminal: a .pdf name on a PNG script writes a PDF (runs gnuplot, as make test installs it)")
    func terminalFromExtension() throws {
        let folder = try temporaryFolder("cf-ext")
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = GnuplotScript(.lines(name: "l", title: "t", xLabel: "x", yLabel: "y", series: [Series("a", y: [1, 2, 3])]))
        try script.script.write(to: folder.appendingPathComponent("l.gp"), atomically: true, encoding: .utf8)
        try script.data.write(to: folder.appendingPathComponent("l.dat"), atomically: true, encoding: .utf8)
        for (file, magic) in [("slide.pdf", Array("%PDF".utf8)), ("slide.svg", Array("<?xml".utf8)), ("slide.png", [0x89, 0x50, 0x4E, 0x47])] {
            let gnuplot = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["gnuplot", "-e", "outfile='\(file)'", "l.gp"], in: folder)
            let bytes = try Data(contentsOf: folder.appendingPathComponent(file))
            #expect(bytes.starts(with: magic), "\(file) begins \(Array(bytes.prefix(5))); gnuplot said: \(gnuplot.stderr)")
        }
    }

    @Test("ranges from the data: a log axis fits its values, a count or time axis starts at 0, a constant series is a dashed line")
    func ranges() {
        let k = GnuplotScript(
            .lines(
                name: "k", title: "t", xLabel: "k", yLabel: "RMSE",
                series: [Series("model", x: [5, 10, 100], y: [1.03, 0.98, 0.93]), Series("baseline", x: [5, 10, 100], y: [0.95, 0.95, 0.95])],
                logX: true)
        ).script
        // 5 / 1.15 and 100 × 1.15: no empty decade from 1 to 5.
        #expect(k.contains("set xrange [4.34783:115]"))
        #expect(k.contains("index 1 using 1:2 with lines dt 2 lw 2 lc rgb '#117733' title \"baseline\""))
        let time = GnuplotScript(
            .scatter(
                name: "t", title: "t", xLabel: "seconds", yLabel: "RMSE",
                groups: [PointGroup("a", points: [Point(x: 0.01, y: 1)]), PointGroup("b", points: [Point(x: 3, y: 0.9)])])
        ).script
        #expect(time.contains("set xrange [0:"))
        let signed = GnuplotScript(
            .scatter(
                name: "s", title: "t", xLabel: "x", yLabel: "y",
                groups: [PointGroup("a", points: [Point(x: -1, y: 1), Point(x: 1, y: 2)])])
        ).script
        #expect(signed.contains("set xrange [-1.1:1.1]"))
        // λ from 0.06 to 0.1 is not stretched to 0; epochs from 1 are.
        let lambda = GnuplotScript(.lines(name: "l", title: "t", xLabel: "λ", yLabel: "RMSE", series: [Series("k", x: [0.06, 0.08, 0.1], y: [1, 2, 3])])).script
        #expect(!lambda.contains("set xrange [0:*]"))
        #expect(
            GnuplotScript.startsAtZero(1, 60) && GnuplotScript.startsAtZero(0, 3) && !GnuplotScript.startsAtZero(0.06, 0.1)
                && !GnuplotScript.startsAtZero(-1, 5))
    }

    @Test("a title past 80 characters is set on two balanced lines, broken at a space, with gnuplot's own newline")
    func longTitle() {
        let title = "Why Close Shave, A (1995) for user 1: the 10 ratings that moved it most from its baseline"
        #expect(GnuplotScript.titleLines(title) == ["Why Close Shave, A (1995) for user 1: the 10 ratings", "that moved it most from its baseline"])
        let script = GnuplotScript(.bars(name: "b", title: title, yLabel: "y", labels: ["a"], values: [1])).script
        #expect(
            script.contains(
                "set title \"Why Close Shave, A (1995) for user 1: the 10 ratings\" . \"\\n\" . \"that moved it most from its baseline\" font ',14'"))
        #expect(GnuplotScript.titleLines("short") == ["short"])
    }

    @Test("a grid chart keeps its scale readable: one value far above the rest is left above the plot, and said so")
    func readableScale() {
        let lines = [
            Series("k = 50", x: [0.06, 0.08, 0.1], y: [0.9120, 0.9105, 0.9401]), Series("k = 300", x: [0.06, 0.08, 0.1], y: [0.9100, 0.9090, 0.9095]),
            Series("k = 500", x: [0.06, 0.08, 0.1], y: [0.9098, 0.9089, 0.9093])
        ]
        let script = GnuplotScript(.lines(name: "v", title: "t", xLabel: "λ", yLabel: "RMSE", series: lines)).script
        #expect(script.contains("set yrange [*:0.91231]"), "\(script)")
        #expect(script.contains("set title \"t\" . \"\\n\" . \"(above the top of the plot: k = 50 at λ 0.1, 0.940)\""), "\(script)")
        // A learning curve's cut point, named by its line and epoch (in the x axis's words).
        let curves = [
            Series("dot product", x: [1, 2, 3, 4, 5, 6], y: [1.17, 0.958, 0.919, 0.906, 0.900, 0.894]),
            Series("NeuMF", x: [1, 2, 3, 4, 5, 6], y: [0.948, 0.932, 0.926, 0.924, 0.916, 0.912])
        ]
        let cutCurve = GnuplotScript(.lines(name: "c", title: "t", xLabel: "epoch", yLabel: "RMSE", series: curves)).script
        #expect(cutCurve.contains("(above the top of the plot: dot product at epoch 1, 1.17"), "\(cutCurve)")
        // Counts tried on a log axis are labelled with their thousands separated.
        let pairs = GnuplotScript(
            .lines(name: "p", title: "t", xLabel: "pairs", yLabel: "error", series: [Series("net", x: [10_000, 40_000, 120_000], y: [1, 0.5, 0.2])], logX: true)
        ).script
        #expect(pairs.contains("set xtics (\"10,000\" 10000, \"40,000\" 40000, \"120,000\" 120000)"), "\(pairs)")
        // A loss curve (many points) is never cut, and neither is a grid whose values are all alike.
        #expect(GnuplotScript.readableTop([Series("loss", y: (1...40).map { 10 / Double($0) })]) == nil)
        #expect(GnuplotScript.readableTop([Series("a", y: [1, 1.1, 1.2]), Series("b", y: [1.3, 1.4, 1.5])]) == nil)
    }

    @Test("times over four decades on a log axis: every method of lesson 6's comparison is named beside its point")
    func methodsOnALogAxis() {
        let points: [(String, Double, Double)] = [
            ("global mean", 0.000127, 1.154), ("movie mean", 0.0002, 1.033), ("baseline μ + b_u + b_i", 0.0043, 0.960),
            ("batch GD (lesson 5)", 0.178, 0.954), ("plain SGD MF (lesson 5)", 0.282, 0.948), ("biased SGD MF", 2.70, 0.915),
            ("biased SGD MF + implicit feedback (SVD++) (chosen)", 1.94, 0.909), ("ALS (lesson 3)", 0.0995, 0.955), ("biased ALS", 2.27, 0.924)
        ]
        let script = GnuplotScript(
            .scatter(
                name: "t", title: "Test RMSE against training time", xLabel: "training time (s, log scale)", yLabel: "test RMSE",
                groups: points.map { PointGroup($0.0, points: [Point(x: $0.1, y: $0.2)]) }, logX: true))
        #expect(script.script.contains("set logscale x") && script.script.contains("unset key"), "\(script.script)")
        #expect(!script.script.contains("left out"))
    }

    @Test("subscripts in the course's notation are typeset; a value that rounds to 0 in a heatmap is written <0.01; log tics 1-2-3-5")
    func notation() {
        #expect(typeset("baseline μ + b_u + b_i") == "baseline μ + bᵤ + bᵢ")
        #expect(typeset("x_uij and file_name and k_max") == "xᵤᵢⱼ and file_name and k_max")
        let map = GnuplotScript(.heatmap(name: "h", title: "t", Heatmap([[0.001, 0, 0.3]], digits: 2)))
        #expect(map.data.contains("0 0 0.001 \"<0.01\"") && map.data.contains("1 0 0 \"0.00\"") && map.data.contains("2 0 0.3 \"0.30\""))
        #expect(GnuplotScript.logTics(2.2, 120) == [3, 5, 10, 20, 30, 50, 100])
    }

    @Test("an error or a share is never drawn below 0; a share reaching 1 keeps room above; an epoch axis runs from 0 with room at its end")
    func floors() {
        let mse = GnuplotScript(.lines(name: "m", title: "t", xLabel: "epoch", yLabel: "MSE", series: [Series("loss", y: (1...10).map { 2 / Double($0) })]))
            .script
        #expect(mse.contains("set yrange [-0.03:*]") && mse.contains("set offsets 0, 0, graph 0.04, 0"), "\(mse)")
        #expect(mse.contains("set xrange [-0.15:10.3]"))
        let share = GnuplotScript(
            .lines(
                name: "s", title: "t", xLabel: "n", yLabel: "share", series: [Series("a", x: [1, 10, 100], y: [0.1, 0.6, 1])],
                logX: true)
        ).script
        #expect(share.contains("set yrange [-0.02:1.04]"))
        let fromZero = GnuplotScript(.lines(name: "z", title: "t", xLabel: "epoch", yLabel: "J", series: [Series("a", x: [0, 10, 20], y: [5, 4, 3])])).script
        #expect(fromZero.contains("set xrange [-0.3:20.6]"))
    }

    @Test("large values on a linear axis get tics with thousands separated; small ones are left to gnuplot")
    func groupedTics() {
        let tics = GnuplotScript.groupedTics(32_000, 41_000)
        #expect(tics.map(\.label) == ["32,000", "34,000", "36,000", "38,000", "40,000"])
        #expect(GnuplotScript.groupedTics(0, 9_000).isEmpty)
        let bars = GnuplotScript(.bars(name: "h", title: "t", yLabel: "ratings", labels: ["1", "2"], values: [6110, 34174])).script
        #expect(bars.contains("set ytics (\"0\" 0, \"10,000\" 10000, \"20,000\" 20000, \"30,000\" 30000)"), "\(bars)")
    }

    @Test("series that belong together share a look, the second dashed; a long series carries its shape every so often")
    func pairedSeries() {
        let pair = GnuplotScript(
            .lines(
                name: "p", title: "t", xLabel: "epoch", yLabel: "RMSE",
                series: [
                    Series("train, λ = 0.001", y: [1, 0.8, 0.6], look: 0), Series("validation, λ = 0.001", y: [1, 0.9, 0.95], look: 0, dashed: true),
                    Series("train, λ = 0.08", y: [1, 0.9, 0.8], look: 1), Series("validation, λ = 0.08", y: [1, 0.92, 0.9], look: 1, dashed: true)
                ])
        ).script
        #expect(pair.contains("index 1 using 1:2 with linespoints dt 2 pt 7 ps 0.8 lw 2 lc rgb '#332288'"), "\(pair)")
        #expect(pair.contains("index 3 using 1:2 with linespoints dt 2 pt 5 ps 0.8 lw 2 lc rgb '#117733'"))
        let long = GnuplotScript(.lines(name: "l", title: "t", xLabel: "n", yLabel: "share", series: [Series("a", y: (1...80).map { Double($0) })])).script
        #expect(long.contains("with linespoints dt 1 pt 7 pi 10 ps 0.8 lw 2"))
    }

    @Test("the palette: nine colours, none twice in a figure of nine series; past nine, dashes keep series apart")
    func palette() {
        let looks = (0..<12).map(GnuplotScript.style)
        #expect(Set(looks.prefix(9).map(\.color)).count == 9)
        #expect(Set(looks.prefix(9).map(\.shape)).count == 9)
        #expect(looks.prefix(9).allSatisfy { $0.dash == 1 } && looks.suffix(3).allSatisfy { $0.dash == 2 })
        // The colours are Paul Tol's muted scheme, for readers with colour-vision deficiencies.
        #expect(GnuplotScript.palette == ["#332288", "#117733", "#CC6677", "#882255", "#44AA99", "#999933", "#AA4499", "#88CCEE", "#DDCC77"])
        // Text in the two pale colours is darkened; the others are written as they are.
        #expect(GnuplotScript.textColor("#DDCC77") == "#8A7A2E" && GnuplotScript.textColor("#332288") == "#332288")
    }

    @Test("the legend sits below the plot with its entries together: as many per row as fit, rows as needed")
    func legend() {
        var few = Lines(), many = Lines()
        GnuplotScript.keyBelow(["batch gradient descent (α = 0.003)", "SGD (lr = 0.02)"], script: &few)
        // Two entries are stacked, so that they sit together.
        #expect(few.text.contains("maxrows 2") && few.text.contains("set bmargin 6") && few.text.contains("at screen 0.5, 0.01 center bottom"))
        GnuplotScript.keyBelow((1...9).map { "method number \($0) with a long name" }, script: &many)
        // 36 characters an entry: two fit in a row, so five rows, and the margin grows to 9.
        #expect(many.text.contains("maxrows 5") && many.text.contains("set bmargin 9"))
    }

    @Test("a heatmap writes missing cells as NaN, labels present cells, and puts row 0 on top")
    func heatmap() {
        let figure = Figure.heatmap(
            name: "r", title: "Ratings",
            Heatmap(
                [[5, nil], [1, 2.25]], rowLabels: ["ann", "bo"], columnLabels: ["x", "y"],
                colorbarLabel: "rating", range: 1...5, digits: 1))
        let script = GnuplotScript(figure, format: .svg)
        #expect(
            script.data == """
                # column row value label label-colour (missing cells are NaN)
                0 0 5 "5.0" 16777215
                1 0 NaN "" 0

                0 1 1 "1.0" 0
                1 1 2.25 "2.2" 0


                """)
        #expect(script.script.contains("set terminal svg"))
        #expect(script.script.contains("set yrange [1.5:-0.5]"))
        #expect(script.script.contains("set xtics (\"x\" 0, \"y\" 1)"))
        #expect(script.script.contains("set cbrange [1:5]"))
        #expect(script.script.contains("hatched"))
        // Cells as rectangles: an SVG or PDF stays sharp.
        #expect(script.script.contains("with image pixels"))
        #expect(script.script.contains("if (!exists(\"outfile\")) outfile = 'r.svg'"))
    }

    @Test("scatter labels and the y = x line; bar labels as a person writes numbers, coloured by sign")
    func scatterAndBars() {
        let scatter = GnuplotScript(
            .scatter(
                name: "s", title: "Fit", xLabel: "actual", yLabel: "fitted",
                groups: [PointGroup("songs", points: [Point(x: 1, y: 2, label: "Hey \"Jude\"")])],
                diagonal: true))
        #expect(scatter.data.hasSuffix("1 2 \"Hey 'Jude'\" \"\" \"\" \"\"\n"))
        #expect(scatter.script.contains("with labels"))
        #expect(scatter.script.contains("x with lines"))
        let bars = GnuplotScript(.bars(name: "b", title: "Parts", yLabel: "value", labels: ["a", "b", "c"], values: [6110, -1, 0.4567]))
        #expect(bars.data.contains("\"a\" 6110 \"6,110\""))
        #expect(bars.data.contains("\"b\" -1 \"-1\""))
        #expect(bars.data.contains("\"c\" 0.4567 \"0.457\""))
        #expect(bars.script.contains("with boxes lc rgb variable"))
        let empty = GnuplotScript(.bars(name: "e", title: "t", yLabel: "n", labels: ["0.5", "1"], values: [0, 12]))
        #expect(empty.data.contains("\"0.5\" 0 \"\"") && empty.data.contains("\"1\" 12 \"12\""))
        #expect(GnuplotScript.readable(1234567) == "1,234,567" && GnuplotScript.readable(2.5) == "2.50" && GnuplotScript.readable(-250.4) == "-250")
    }

    @Test("labels avoid each other and every point: right, then left, above, below; left out only without room, and counted")
    func crowdedLabels() {
        let points = [
            Point(x: 0, y: 0, label: "first"), Point(x: 0, y: 0, label: "second"), Point(x: 0, y: 0, label: "third"),
            Point(x: 0, y: 0, label: "fourth"), Point(x: 0, y: 0, label: "fifth"), Point(x: 10, y: 10, label: "far"), Point(x: 5, y: 5)
        ]
        let layout = GnuplotScript.legibleLabels([PointGroup("a", points: Array(points.prefix(3))), PointGroup("b", points: Array(points.suffix(4)))])
        #expect(layout.sides == [[.right, .left, .above], [.below, .none, .right, .none]])
        #expect(layout.dropped == 1)
        let scatter = GnuplotScript(.scatter(name: "c", title: "Crowded", xLabel: "x", yLabel: "y", groups: [PointGroup("a", points: points)]))
        #expect(scatter.data.contains("0 0 \"first\" \"\" \"\" \"\"") && scatter.data.contains("0 0 \"\" \"second\" \"\" \"\""))
        #expect(scatter.script.contains("using 1:2:4 with labels offset char -0.8,0 right"))
        #expect(scatter.script.contains("\"(1 label left out: no room beside the point)\""))
    }

    @Test("a label does not cover a point: next to a point it moves to another side")
    func labelsAvoidPoints() {
        // The label of the point at 0 would run over the point just to its right: it goes to the left.
        let layout = GnuplotScript.legibleLabels([
            PointGroup(
                "a",
                points: [
                    Point(x: 0, y: 0, label: "a long label"), Point(x: 0.5, y: 0),
                    Point(x: -10, y: -10), Point(x: 10, y: 10)
                ])
        ])
        #expect(layout.sides[0][0] == .left)
        // The right offset leaves room just for the labels written on the right.
        #expect(layout.rightOffset == 0.05)
    }

    @Test("one point per method: named where it stands, no legend; crowded, a legend below; no two groups share colour or shape")
    func manyGroups() {
        let apart = GnuplotScript(
            .scatter(
                name: "m", title: "Methods", xLabel: "time", yLabel: "RMSE",
                groups: (0..<6).map { PointGroup("method \($0)", points: [Point(x: Double($0), y: Double($0))]) }))
        #expect(apart.script.contains("unset key") && apart.data.contains("0 0 \"method 0\""))
        // Six methods on one spot: four names would fit around it, two would not, so the legend names them all.
        let script = GnuplotScript(
            .scatter(
                name: "m", title: "Methods", xLabel: "time", yLabel: "RMSE",
                groups: (0..<6).map { PointGroup("method \($0)", points: [Point(x: 1, y: 1)]) })
        ).script
        #expect(script.contains("set key at screen 0.5, 0.01 center bottom") && !script.contains("unset key"))
        let lines = script.split(separator: "\n").map(String.init).filter { $0.contains("with points") }
        func field(_ line: String, after key: String) -> String { line.components(separatedBy: key)[1].components(separatedBy: " ")[0] }
        #expect(lines.count == 6)
        #expect(Set(lines.map { field($0, after: " pt ") }).count == 6)
        #expect(Set(lines.map { field($0, after: " lc rgb ") }).count == 6)
    }

    @Test("intervals: one point per label with its low and high; an interval past the bounds is cut there and marked")
    func intervals() {
        let script = GnuplotScript(
            .intervals(
                name: "top", title: "Top", xLabel: "movie", yLabel: "rating", labels: ["A", "B \"x\""],
                values: [4.5, 3.0], low: [4.0, 2.0], high: [5.0, 3.5]))
        #expect(script.data.contains("\"A\" 4.5 4 5 NaN NaN") && script.data.contains("\"B 'x'\" 3 2 3.5 NaN NaN"))
        #expect(script.script.contains("using 0:2:3:4:xtic(1) with yerrorbars"))
        // The y range covers every interval, with a margin: from below 2 to above 5.
        #expect(script.script.contains("set yrange [1.7:5.3]"))
        #expect(script.script.contains("set xlabel \"movie\"") && !script.script.contains("open triangle"))
        let cut = GnuplotScript(
            .intervals(
                name: "n", title: "NDCG", xLabel: "model", yLabel: "NDCG", labels: ["a", "b"],
                values: [0.02, 0.5], low: [-0.01, 0.4], high: [0.05, 0.6], bounds: 0...1))
        #expect(cut.data.contains("\"a\" 0.02 0 0.05 -0.03 NaN"))
        #expect(cut.script.contains("(open triangle: 1 interval cut at the end of the scale)"))
        #expect(cut.script.contains("set yrange [-0.06:0.66]"))
    }

    @Test("numbers a person reads never show -0.00")
    func fixedFormatting() {
        #expect(formatFixed(-0.0001, digits: 2) == "0.00")
        #expect(formatFixed(2.142, digits: 3) == "2.142")
        #expect(formatFixed(-1.5, digits: 1) == "-1.5")
        #expect(formatFixed(.nan, digits: 2) == "nan")
    }
}
