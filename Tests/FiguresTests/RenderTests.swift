import Figures
import Foundation
import TestSupport
import Testing
import TextOutput

/// These tests run the real gnuplot program. `make test` installs it first; the tests install nothing.
@Suite("Rendering with gnuplot")
struct RenderTests {
    @Test("renders a heatmap to a real PNG, and the script alone rebuilds it")
    func rendersPNG() throws {
        let folder = try temporaryFolder("cf-figures")
        defer { try? FileManager.default.removeItem(at: folder) }
        let renderer = GnuplotRenderer(directory: folder)
        try #require(renderer.gnuplot != nil, "gnuplot is not installed: run `make test`, which installs it")
        let figure = Figure.heatmap(name: "grid", title: "A grid", Heatmap([[1, nil, 3], [4, 5, 6]]))
        try renderer.writeScript(figure)
        let image = try renderer.render("grid")
        let bytes = try Data(contentsOf: image)
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(bytes.count > 2000)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(files == ["grid.dat", "grid.gp", "grid.png"])
    }

    @Test("svg and pdf formats")
    func otherFormats() throws {
        let folder = try temporaryFolder("cf-figures")
        defer { try? FileManager.default.removeItem(at: folder) }
        for format in [ImageFormat.svg, .pdf] {
            let renderer = GnuplotRenderer(directory: folder, format: format)
            try #require(renderer.gnuplot != nil, "gnuplot is not installed: run `make test`")
            try renderer.writeScript(.lines(name: "l-\(format)", title: "t", xLabel: "x", yLabel: "y", series: [Series("a", y: [1, 2, 3])]))
            let image = try renderer.render("l-\(format)")
            let head = String(decoding: try Data(contentsOf: image).prefix(5), as: UTF8.self)
            #expect(head == (format == .pdf ? "%PDF-" : "<?xml"))
        }
    }

    @Test("no gnuplot on the PATH: scripts are written and rendering says how to install it")
    func missingGnuplot() throws {
        let folder = try temporaryFolder("cf-figures")
        defer { try? FileManager.default.removeItem(at: folder) }
        let renderer = GnuplotRenderer(directory: folder, environment: ["PATH": "/nonexistent"])
        #expect(renderer.gnuplot == nil)
        try renderer.writeScript(.bars(name: "b", title: "t", yLabel: "y", labels: ["a"], values: [1]))
        #expect(throws: FigureError.gnuplotMissing) { try renderer.render("b") }
        #expect(FigureError.gnuplotMissing.description.contains("apt-get install gnuplot"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("b.gp").path))
    }

    @Test("a script gnuplot rejects leaves no image behind and reports gnuplot's message")
    func failingScript() throws {
        let folder = try temporaryFolder("cf-figures")
        defer { try? FileManager.default.removeItem(at: folder) }
        let renderer = GnuplotRenderer(directory: folder)
        try #require(renderer.gnuplot != nil, "gnuplot is not installed: run `make test`")
        try writeAtomically("set output outfile\nplot 'missing.dat' using 1:2\n", to: folder.appendingPathComponent("bad.gp"))
        do {
            try renderer.render("bad")
            Issue.record("gnuplot should have failed")
        } catch let FigureError.gnuplotFailed(script, message) {
            #expect(script == "bad.gp")
            #expect(message.contains("missing.dat"))
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(files == ["bad.gp"])
    }
}
