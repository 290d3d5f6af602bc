// `course watch` driven through a pipe, and `course reset`, in a temporary copy of the cells.
import Foundation
import LessonKit
import Testing

/// A temporary course folder holding a copy of lesson 1's cells and worked solutions.
func courseCopy() throws -> URL {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cf-course-\(UUID().uuidString)")
    for file in [Course.cellsFile(1), Course.solutionsFile(1)] {
        let target = folder.appendingPathComponent(file)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: root.appendingPathComponent(file), to: target)
    }
    return folder
}

/// A program whose standard input the test writes to line by line while it reads its output as it comes.
final class Conversation: @unchecked Sendable {
    let process = Process()
    private let input = Pipe(), output = Pipe()
    private let lock = NSLock()
    private var text = ""

    init(_ executable: URL, _ arguments: [String], in directory: URL) throws {
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.text += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
    }

    var transcript: String { lock.withLock { text } }

    func say(_ line: String) { input.fileHandleForWriting.write(Data((line + "\n").utf8)) }

    /// Waits until the output has `count` occurrences of `needle` (or the time is up); true when it has.
    func waitFor(_ needle: String, count: Int = 1, seconds: Double = 30) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if transcript.components(separatedBy: needle).count - 1 >= count { return true }
            usleep(50_000)
        }
        return false
    }

    /// Waits for the program to end (killing it after `seconds`); its exit status.
    func end(seconds: Double = 20) -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }
}

@Suite("course watch and course reset")
struct WatchAndResetTests {
    @Test("course watch, through a pipe: shows the next exercise, checks again when a cell is saved, gives hints then the solution, quits")
    func watchThroughAPipe() throws {
        let folder = try courseCopy()
        defer { try? FileManager.default.removeItem(at: folder) }
        let watch = try Conversation(LessonRun.productsFolder.appendingPathComponent("course"), ["watch", "--lesson", "1", "--no-build"], in: folder)
        #expect(watch.waitFor("Next: 1.1 score"), "\(watch.transcript)")
        #expect(watch.transcript.contains("Worked by hand: score(tastes: [1, 2], factors: [3, 4]) = 11"))
        #expect(watch.transcript.contains("· 1.1  score") && watch.transcript.contains("not done yet"))
        // Saving the cells checks them again.
        let cells = folder.appendingPathComponent(Course.cellsFile(1))
        try (try String(contentsOf: cells, encoding: .utf8) + "\n// saved\n").write(to: cells, atomically: true, encoding: .utf8)
        #expect(watch.waitFor("Lessons/lesson-1/Cells.swift changed."), "\(watch.transcript)")
        #expect(watch.waitFor("Lesson 1, checked in", count: 2), "\(watch.transcript)")
        // Hints in steps, then the worked solution.
        for step in 1...3 {
            watch.say("h")
            #expect(watch.waitFor("Hint \(step) of 3 for 1.1 score"), "\(watch.transcript)")
        }
        watch.say("h")
        #expect(watch.waitFor("The worked solution, from Sources/Solutions/Lesson1.swift:"), "\(watch.transcript)")
        #expect(watch.transcript.contains("func score(tastes: [Double], factors: [Double])"))
        watch.say("l")
        #expect(watch.waitFor("Latent factors and the dot product"))
        watch.say("q")
        #expect(watch.end() == 0, "\(watch.transcript)")
        #expect(watch.transcript.hasSuffix("Bye: your cells are saved where you wrote them.\n"))
    }

    @Test("course reset puts one cell back to its placeholder, keeps the learner's file in backups/, and refuses what it cannot do")
    func reset() throws {
        let folder = try courseCopy()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cells = folder.appendingPathComponent(Course.cellsFile(1))
        let shipped = try String(contentsOf: cells, encoding: .utf8)
        let written = try #require(CellSource.resetting("score", in: shipped, to: "        return zip(tastes, factors).reduce(0) { $0 + $1.0 * $1.1 }"))
        try written.write(to: cells, atomically: true, encoding: .utf8)

        let run = try LessonRun.run("course", ["reset", "1.1"], output: false, in: folder)
        #expect(run.status == 0 && run.stdout.contains("1.1 score is back to its placeholder"), "\(run.stdout) \(run.stderr)")
        #expect(try String(contentsOf: cells, encoding: .utf8) == shipped, "the shipped file, byte for byte")
        let backups = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("backups").path)
        #expect(backups.count == 1)
        #expect(try String(contentsOf: folder.appendingPathComponent("backups/" + backups[0]), encoding: .utf8) == written)
        #expect(run.stdout.contains("backups/" + backups[0]))

        let again = try LessonRun.run("course", ["reset", "1.1"], output: false, in: folder)
        #expect(again.status == 0 && again.stdout.contains("already its placeholder"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("backups").path).count == 1)

        let unknown = try LessonRun.run("course", ["reset", "9.9"], output: false, in: folder)
        #expect(unknown.status != 0 && unknown.stderr.contains("there is no exercise 9.9") && !unknown.stderr.contains("Fatal"), "\(unknown.stderr)")
        // Every id is checked first: a typo in the second leaves the first cell as it was; a cell's name is told its number.
        try written.write(to: cells, atomically: true, encoding: .utf8)
        let typo = try LessonRun.run("course", ["reset", "1.1", "1.9"], output: false, in: folder)
        #expect(typo.status != 0 && typo.stderr.contains("there is no exercise 1.9"))
        #expect(try String(contentsOf: cells, encoding: .utf8) == written, "nothing was reset")
        let byName = try LessonRun.run("course", ["reset", "score"], output: false, in: folder)
        #expect(byName.status != 0 && byName.stderr.contains("score is 1.1"), "\(byName.stderr)")

        // A written cell that calls the one reset is told to wait for it.
        let both = try #require(CellSource.resetting("scoreMatrix", in: written, to: """
                    var s = Matrix(rows: users.rows, columns: movies.rows)
                    for u in 0..<users.rows { for m in 0..<movies.rows { s[u, m] = try score(tastes: users.row(u), factors: movies.row(m)) } }
                    return s
            """))
        try both.write(to: cells, atomically: true, encoding: .utf8)
        let waiting = try LessonRun.run("course", ["reset", "1.1"], output: false, in: folder)
        #expect(waiting.status == 0 && waiting.stdout.contains("Your scoreMatrix (1.2) calls score: it waits until 1.1 is written again."), "\(waiting.stdout)")

        let elsewhere = try LessonRun.run("course", ["reset", "1.1"], output: false)
        #expect(elsewhere.status != 0 && elsewhere.stderr.contains("run this from the course's folder"), "\(elsewhere.stderr)")
        elsewhere.cleanUp()
    }
}
