import Foundation
import TestSupport
import Testing

/// Lessons run on data of MovieLens 25M's shape written by `cf-bench --write-shape`. The fraction is 0.001: 163 users,
/// 307 movies, 25,000 ratings, the smallest 25M-shaped set (every user with 20 ratings or more fits), so that the
/// lessons' debug builds finish in seconds; the full size is cf-bench --lessons' business.
@Suite("lessons on generated data of MovieLens 25M's shape", .serialized)
struct ShapedDataTests {
    /// Writes the data set once for all the tests of this suite, to one folder that each run replaces (cf-bench replaces
    /// a folder it wrote), so that runs leave one behind, not one each.
    static let data: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cf-test-25m-shape-0.001")
        _ = try? LessonRun.run("cf-bench", ["--write-shape", "25M", "--fraction", "0.001", "--to", folder.path], output: false)
        return folder
    }()

    @Test("cf-bench --write-shape writes the data set, and refuses a folder it did not write, in one line")
    func writeShape() throws {
        #expect(FileManager.default.fileExists(atPath: Self.data.appendingPathComponent("ratings.csv").path))
        let foreign = try temporaryFolder("cf-not-generated")
        defer { try? FileManager.default.removeItem(at: foreign) }
        try put("mine", "notes.txt", in: foreign)
        let run = try LessonRun.run("cf-bench", ["--write-shape", "25M", "--fraction", "0.001", "--to", foreign.path], output: false)
        defer { run.cleanUp() }
        expectOneLineError(run, "is not empty and was not written by --write-shape")
        #expect(try FileManager.default.contentsOfDirectory(atPath: foreign.path) == ["notes.txt"])
    }

    @Test("lesson-5 runs on it: batch gradient descent's cost falls, with α 0.003 on its 25,000 ratings (scaled only above 100,000)")
    func lesson5() throws {
        let run = try LessonRun.run("lesson-5", ["--data", Self.data.path, "--no-plots"])
        defer { run.cleanUp() }
        #expect(run.status == 0 && run.stderr.isEmpty, "\(run.stderr)")
        let results = try run.results()
        #expect(results["ratings"] as? Int == 25_000 && results["dataset"] as? String == "MovieLens latest-small")
        let transcript = try String(contentsOf: run.output.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(transcript.contains("α = 0.003 for up to 100,000 ratings (here 25,000)"))
        #expect(transcript.contains("J falls"))
    }

    // Lessons 7 and 9 are being changed elsewhere: only that they finish and write their transcript is checked here.
    @Test("lessons 7 and 9 finish on it and write their transcripts", arguments: [7, 9])
    func otherLessons(_ number: Int) throws {
        let run = try LessonRun.run("lesson-\(number)", ["--data", Self.data.path, "--no-plots"])
        defer { run.cleanUp() }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: run.output.appendingPathComponent("README.md").path))
    }

    @Test("cf-bench --lessons reuses the data set and prints a row per lesson: time, peak memory, exit status")
    func benchLessons() throws {
        let run = try LessonRun.run(
            "cf-bench", ["--lessons", "--fraction", "0.001", "--to", Self.data.path, "--lesson-numbers", "5"], output: false)
        defer { run.cleanUp() }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("reusing \(Self.data.standardizedFileURL.path)"))
        // The table's row (not the progress line "  lesson-5 … 1.23 s, 40 MB, 0"): lesson, time, memory, exit status 0.
        let row = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("lesson-5 ") })
        #expect(row.hasSuffix("  0") && row.contains(" MB"), "\(row)")
    }
}
