import Foundation
import Numerics
import TestSupport
import Testing

@Suite("lesson-1 end to end")
struct Lesson1Tests {
    @Test("prints the story and writes transcript, results.json, scripts, data and PNGs")
    func fullRun() throws {
        let run = try LessonRun.run("lesson-1")
        defer { run.cleanUp() }
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stderr.isEmpty)
        #expect(run.stdout.contains("Lesson 1: Latent factors and the dot product"))
        #expect(run.stdout.contains("2.142") && run.stdout.contains("0.011"))
        let results = try run.results()
        // 0.9·0.98 + (−0.6)(−0.9) + 0.8·0.9 and 0.9(−0.99) + (−0.6)(−0.97) + 0.8·0.4, by hand.
        let starWars = try #require(results["score_star_wars"] as? Double)
        let casablanca = try #require(results["score_casablanca"] as? Double)
        #expect(starWars.isApproximatelyEqual(to: 2.142, relativeTolerance: 1e-12))
        #expect(casablanca.isApproximatelyEqual(to: 0.011, relativeTolerance: 1e-12))
        let files = try run.files()
        for name in ["scores", "movie-factors", "contributions-star-wars", "contributions-casablanca"] {
            for ext in ["gp", "dat", "png"] { #expect(files.contains("\(name).\(ext)"), "missing \(name).\(ext)") }
        }
        let transcript = try String(contentsOf: run.output.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(transcript.hasPrefix("# Lesson 1: Latent factors and the dot product"))
        #expect(transcript.contains("![Match score of every user for every movie (S = U Mᵀ)](scores.png)"))
        // The footer: the time of each section, which results.json keeps by heading.
        let footer = try #require(transcript.split(separator: "\n").last)
        #expect(footer.hasPrefix("Time per section, ") && footer.contains(" in all: "), "\(footer)")
        let sections = try #require(results["section_seconds"] as? [String: Double])
        #expect(sections.keys.contains("A score is a dot product") && sections.keys.contains("Exercises") && sections.values.allSatisfy { $0 >= 0 })
        #expect(!files.contains { $0.hasPrefix(".") && $0 != ".cf-lessons" }, "temporary files left: \(files)")
    }

    @Test("--you adds a user; --no-plots writes scripts but no images; --quiet prints nothing")
    func options() throws {
        let run = try LessonRun.run("lesson-1", ["--you=-0.9,-0.9,0", "--no-plots", "--quiet"])
        defer { run.cleanUp() }
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.isEmpty)
        let files = try run.files()
        #expect(files.contains("scores.gp") && !files.contains("scores.png"))
        let users = try #require(try run.results()["users"] as? [String])
        #expect(users.last == "you")
    }

    @Test("--help explains the lesson and its options")
    func help() throws {
        let run = try LessonRun.run("lesson-1", ["--help"], output: false)
        defer { run.cleanUp() }
        #expect(run.status == 0)
        for text in ["dot product", "--output", "--seed", "--format", "--no-plots", "--quiet", "--you"] {
            #expect(run.stdout.contains(text), "help lacks \(text)")
        }
    }

    @Test("bad flags and values: one line on stderr, non-zero exit, no backtrace")
    func badFlags() throws {
        for arguments in [["--frobnicate"], ["--you", "2,0,0"], ["--format", "gif"], ["--seed", "-3"]] {
            let run = try LessonRun.run("lesson-1", arguments)
            defer { run.cleanUp() }
            #expect(run.status != 0, "\(arguments) should fail")
            #expect(run.stderr.contains(": error: "), "\(arguments): \(run.stderr)")
            #expect(!run.stderr.contains("Backtrace") && !run.stderr.contains("Fatal error"))
        }
    }

    @Test("an output folder that cannot be created is one clear line and exit status 1")
    func unwritableOutput() throws {
        let blocker = temporaryPath("cf-blocker")
        try Data("a file, not a folder".utf8).write(to: blocker)
        defer { try? FileManager.default.removeItem(at: blocker) }
        let run = try LessonRun.run("lesson-1", ["--output", blocker.appendingPathComponent("out").path], output: false)
        defer { run.cleanUp() }
        #expect(run.status == 1)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(run.stderr)")
        #expect(run.stderr.hasPrefix("lesson-1: error: cannot write to the output folder"))
        #expect(run.stdout.isEmpty)
    }

    @Test("without gnuplot the lesson finishes, writes every script and says how to install it")
    func missingGnuplot() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = "/nonexistent"
        let run = try LessonRun.run("lesson-1", environment: environment)
        defer { run.cleanUp() }
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.contains("Exercise 3."))
        #expect(run.stderr.split(separator: "\n").count == 1)
        #expect(run.stderr.contains("gnuplot was not found") && run.stderr.contains("apt-get install gnuplot"))
        let files = try run.files()
        #expect(files.contains("scores.gp") && files.contains("scores.dat") && !files.contains("scores.png"))
    }
}
