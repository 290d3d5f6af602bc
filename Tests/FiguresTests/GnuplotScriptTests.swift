@testable import Figures
import Testing
import TextOutput

@Suite("Gnuplot scripts")
struct GnuplotScriptTests {
    @Test("a line chart's script and data, as text")
    func lineChart() {
        let figure = Figure.lines(name: "loss", title: "Loss per epoch", xLabel: "epoch", yLabel: "MSE",
                                  series: [Series("train", y: [4, 2.5]), Series("test \"held out\"", x: [1, 2], y: [5, 3])],
                                  logY: true)
        let script = GnuplotScript(figure)
        #expect(script.script == """
            # loss.gp: Loss per epoch
            # Written by cf-lessons. Rebuild the picture here with: gnuplot loss.gp
            # Another output file: gnuplot -e "outfile='slide.png'" loss.gp
            set terminal pngcairo size 960,640 noenhanced font 'Sans,11'
            if (!exists("outfile")) outfile = 'loss.png'
            set output outfile
            set title "Loss per epoch" font ',14'
            set xlabel "epoch"
            set ylabel "MSE"
            set grid lc rgb '#dddddd'
            set key below height 1
            set logscale y
            plot "loss.dat" index 0 using 1:2 with linespoints pt 7 ps 0.7 lw 2 lc rgb '#1f77b4' title "train", \\
                 '' index 1 using 1:2 with linespoints pt 7 ps 0.7 lw 2 lc rgb '#d62728' title "test \\"held out\\""

            """)
        #expect(script.data == "# train\n1 4\n2 2.5\n\n\n# test \"held out\"\n1 5\n2 3\n")
    }

    @Test("a heatmap writes missing cells as NaN, labels present cells, and puts row 0 on top")
    func heatmap() {
        let figure = Figure.heatmap(name: "r", title: "Ratings",
                                    Heatmap([[5, nil], [1, 2.25]], rowLabels: ["ann", "bo"], columnLabels: ["x", "y"],
                                            colorbarLabel: "rating", range: 1...5, digits: 1))
        let script = GnuplotScript(figure, format: .svg)
        #expect(script.data == """
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
        #expect(script.script.contains("if (!exists(\"outfile\")) outfile = 'r.svg'"))
    }

    @Test("scatter labels and the y = x line; bar labels and colours by sign")
    func scatterAndBars() {
        let scatter = GnuplotScript(.scatter(name: "s", title: "Fit", xLabel: "actual", yLabel: "fitted",
                                             groups: [PointGroup("songs", points: [Point(x: 1, y: 2, label: "Hey \"Jude\"")])],
                                             diagonal: true))
        #expect(scatter.data.hasSuffix("1 2 \"Hey 'Jude'\" \"\"\n"))
        #expect(scatter.script.contains("with labels"))
        #expect(scatter.script.contains("x with lines"))
        let bars = GnuplotScript(.bars(name: "b", title: "Parts", yLabel: "value", labels: ["a", "b"], values: [2, -1]))
        #expect(bars.data.contains("\"a\" 2 \"2.000\""))
        #expect(bars.data.contains("\"b\" -1 \"-1.000\""))
        #expect(bars.script.contains("with boxes lc rgb variable"))
    }

    @Test("labels that would run into one already written go to the left of their point, else are left out; a label far away keeps its place")
    func crowdedLabels() {
        let points = [Point(x: 0, y: 0, label: "first"), Point(x: 0, y: 0, label: "second"), Point(x: 0, y: 0, label: "third"),
                      Point(x: 10, y: 10, label: "far"), Point(x: 5, y: 5)]
        let sides = GnuplotScript.legibleLabels([PointGroup("a", points: Array(points.prefix(2))), PointGroup("b", points: Array(points.suffix(3)))])
        #expect(sides == [[.right, .left], [.none, .right, .none]])
        let scatter = GnuplotScript(.scatter(name: "c", title: "Crowded", xLabel: "x", yLabel: "y", groups: [PointGroup("a", points: points)]))
        #expect(scatter.data.contains("0 0 \"first\" \"\"") && scatter.data.contains("0 0 \"\" \"second\"") && scatter.data.contains("0 0 \"\" \"\""))
        #expect(scatter.script.contains("using 1:2:4 with labels offset char -0.7,0.5 right"))
    }

    @Test("one group per method: a legend below the plot, and no two of the first six groups share colour or shape")
    func manyGroups() {
        let script = GnuplotScript(.scatter(name: "m", title: "Methods", xLabel: "time", yLabel: "RMSE",
                                            groups: (0..<6).map { PointGroup("method \($0)", points: [Point(x: Double($0), y: 1)]) })).script
        #expect(script.contains("set key below height 1") && !script.contains("set key top left"))
        let lines = script.split(separator: "\n").map(String.init).filter { $0.contains("with points") }
        func field(_ line: String, after key: String) -> String { line.components(separatedBy: key)[1].components(separatedBy: " ")[0] }
        #expect(lines.count == 6)
        #expect(Set(lines.map { field($0, after: " pt ") }).count == 6)
        #expect(Set(lines.map { field($0, after: " lc rgb ") }).count == 6)
    }

    @Test("intervals: one point per label with its low and high, drawn as error bars over the whole range")
    func intervals() {
        let script = GnuplotScript(.intervals(name: "top", title: "Top", yLabel: "rating", labels: ["A", "B \"x\""],
                                              values: [4.5, 3.0], low: [4.0, 2.0], high: [5.0, 3.5]))
        #expect(script.data.contains("\"A\" 4.5 4 5") && script.data.contains("\"B 'x'\" 3 2 3.5"))
        #expect(script.script.contains("using 0:2:3:4:xtic(1) with yerrorbars"))
        // The y range covers every interval, with a margin: from below 2 to above 5.
        #expect(script.script.contains("set yrange [1.7:5.3]"))
    }

    @Test("numbers a person reads never show -0.00")
    func fixedFormatting() {
        #expect(formatFixed(-0.0001, digits: 2) == "0.00")
        #expect(formatFixed(2.142, digits: 3) == "2.142")
        #expect(formatFixed(-1.5, digits: 1) == "-1.5")
        #expect(formatFixed(.nan, digits: 2) == "nan")
    }
}
