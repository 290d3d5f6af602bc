import Foundation
import TestSupport
import Testing

/// An environment in which the default data location is empty and GroupLens cannot be reached, so a lesson
/// runs on synthetic data of MovieLens 100K's size: long enough (tens of seconds in a debug build) to interrupt.
func syntheticEnvironment(_ empty: URL) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment["CF_DATA_DIR"] = empty.path
    environment["CF_MOVIELENS_URL"] = "file:///nonexistent/ml-100k.zip"
    environment["NO_COLOR"] = "1"
    return environment
}

/// The staging folders (`.NAME.incomplete-PID`) in `folder`, and the process ids in their names.
func stagingFolders(in folder: URL) -> [(name: String, pid: Int32)] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).compactMap { name in
        guard name.hasPrefix("."), let range = name.range(of: ".incomplete-"), let pid = Int32(name[range.upperBound...]) else { return nil }
        return (name, pid)
    }
}

func processExists(_ pid: Int32) -> Bool {
    // A zombie (ended, not yet reaped) counts as gone: it runs no code.
    guard kill(pid, 0) == 0 else { return false }
    let status = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
    return !status.contains(") Z ")
}

@Suite("interrupts and partial output", .serialized)
struct InterruptTests {
    @Test("Ctrl-C during a lesson: the narrative arrived line by line through a pipe, the previous output stays whole, nothing temporary is left")
    func interruptedLesson() throws {
        let data = try writeSmallMovieLens()
        let empty = try temporaryFolder("cf-empty")
        defer { try? FileManager.default.removeItem(at: data); try? FileManager.default.removeItem(at: empty) }
        // A complete first run.
        let first = try LessonRun.run("lesson-6", ["--data", data.path, "--k", "3", "--lambda", "0.1", "--epochs", "5", "--patience", "2", "--no-plots"])
        defer { first.cleanUp() }
        #expect(first.status == 0, "\(first.stderr)")
        let before = try Data(contentsOf: first.output.appendingPathComponent("results.json"))
        let filesBefore = try first.files()
        // A second, long run into the same folder, interrupted once it has written a figure.
        let second = try LessonRun.start(
            "lesson-6", ["--output", first.output.path, "--no-plots"], in: first.folder,
            environment: syntheticEnvironment(empty))
        let started = second.wait(seconds: 60) {
            stagingFolders(in: first.folder).contains { staging in
                FileManager.default.fileExists(atPath: first.folder.appendingPathComponent(staging.name).appendingPathComponent("learning-curves.gp").path)
            }
        }
        #expect(started, "the second run never wrote its first figures")
        // Line-buffered: the narrative so far is already through the pipe while the lesson still runs.
        #expect(
            second.isRunning && second.stdout.contains("## Biased matrix factorization, and when to stop"),
            "stdout so far: \(second.stdout.suffix(300))")
        second.interrupt()
        #expect(
            second.terminationReason == .uncaughtSignal && second.terminationStatus == SIGINT,
            "ended by \(second.terminationReason == .exit ? "exit" : "signal") \(second.terminationStatus)")
        #expect(stagingFolders(in: first.folder).isEmpty, "temporary folders left: \(stagingFolders(in: first.folder))")
        #expect(try Data(contentsOf: first.output.appendingPathComponent("results.json")) == before, "the previous results.json changed")
        #expect(try first.files() == filesBefore, "the output folder mixes two runs")
    }

    @Test("a run that fails part-way leaves the previous complete output as it was")
    func failedRun() throws {
        let data = try writeSmallMovieLens()
        defer { try? FileManager.default.removeItem(at: data) }
        let first = try LessonRun.run("lesson-5", ["--data", data.path, "--iterations", "20", "--epochs", "2"])
        defer { first.cleanUp() }
        try first.expectSuccess(figures: ["rating-histogram", "cost", "predicted-vs-actual"])
        let before = try Data(contentsOf: first.output.appendingPathComponent("README.md"))
        // A huge learning rate diverges after the first figure was written.
        let failed = try LessonRun.run("lesson-5", ["--data", data.path, "--alpha", "50", "--output", first.output.path], output: false)
        defer { failed.cleanUp() }
        #expect(failed.status == 1 && failed.stderr.contains("diverged"), "\(failed.stderr)")
        #expect(try Data(contentsOf: first.output.appendingPathComponent("README.md")) == before)
        let left = try first.files()
        #expect(stagingFolders(in: first.folder).isEmpty && !left.contains { $0.hasPrefix(".") && $0 != ".cf-lessons" })
    }

    @Test("Ctrl-C on `course run` stops the lesson it started too: nothing keeps running or writes afterwards")
    func interruptedCourse() throws {
        let folder = temporaryPath("cf-course")
        let empty = folder.appendingPathComponent("no-data")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let course = try LessonRun.start(
            "course", ["run", "--from", "6", "--to", "6", "--output", "out"], in: folder,
            environment: syntheticEnvironment(empty))
        let out = folder.appendingPathComponent("out")
        var lesson: Int32?
        _ = course.wait(seconds: 60) {
            lesson = stagingFolders(in: out).first?.pid
            return lesson != nil
        }
        let pid = try #require(lesson, "lesson 6 never started")
        usleep(300_000)
        course.interrupt()
        #expect(course.terminationReason == .uncaughtSignal && course.terminationStatus == SIGINT)
        #expect(!processExists(pid), "lesson 6 (pid \(pid)) still runs after the course runner ended")
        sleep(2)
        #expect(stagingFolders(in: out).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("lesson-6").path), "lesson 6 wrote its output after the interrupt")
    }
}
