// `course watch` driven through a pipe, and `course reset`, in a temporary copy of the cells.
import Foundation
import LessonKit
import TestSupport
import Testing

/// A temporary course folder holding a copy of lesson 1's cells and worked solutions.
func courseCopy() throws -> URL {
    let folder = temporaryPath("cf-course")
    for file in [Course.cellsFile(1), Course.solutionsFile(1)] {
        let target = folder.appendingPathComponent(file)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent(file), to: target)
    }
    return folder
}

@Suite("course watch and course reset")
struct WatchAndResetTests {
    @Test("course watch, through a pipe: shows the next exercise, checks again when a cell is saved, gives hints then the solution, quits")
    func watchThroughAPipe() throws {
        let folder = try courseCopy()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Talked to through a pipe, its output and errors read together as they come.
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        let watch = try ChildProcess(
            try BuiltProducts.executable("course"), ["watch", "--lesson", "1", "--no-build"], environment: environment,
            in: folder, input: .pipe, standardError: .intoStandardOutput)
        #expect(watch.waitFor("Next: 1.1 score"), "\(watch.stdout)")
        #expect(watch.stdout.contains("Worked by hand: score(tastes: [1, 2], factors: [3, 4]) = 11"))
        #expect(watch.stdout.contains("· 1.1  score") && watch.stdout.contains("not done yet"))
        // Saving the cells checks them again.
        let cells = folder.appendingPathComponent(Course.cellsFile(1))
        try (try String(contentsOf: cells, encoding: .utf8) + "\n// saved\n").write(to: cells, atomically: true, encoding: .utf8)
        #expect(watch.waitFor("Lessons/lesson-1/Cells.swift changed."), "\(watch.stdout)")
        #expect(watch.waitFor("Lesson 1, checked in", count: 2), "\(watch.stdout)")
        // Hints in steps, then the worked solution.
        for step in 1...3 {
            watch.say("h")
            #expect(watch.waitFor("Hint \(step) of 3 for 1.1 score"), "\(watch.stdout)")
        }
        watch.say("h")
        #expect(watch.waitFor("The worked solution, from Sources/Solutions/Lesson1.swift:"), "\(watch.stdout)")
        #expect(watch.stdout.contains("func score(tastes: [Double], factors: [Double])"))
        watch.say("l")
        #expect(watch.waitFor("Latent factors and the dot product"))
        watch.say("q")
        #expect(watch.waitUntilExit(timeout: 20).status == 0, "\(watch.stdout)")
        #expect(watch.stdout.hasSuffix("Bye: your cells are saved where you wrote them.\n"))
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
        let both = try #require(
            CellSource.resetting(
                "scoreMatrix", in: written,
                to: """
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
