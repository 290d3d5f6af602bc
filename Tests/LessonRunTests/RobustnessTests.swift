import Foundation
import TestSupport
import Testing

/// Expects a run that failed with exactly one line on stderr containing `expected`, and no backtrace.
func expectOneLineError(_ run: LessonRun, _ expected: String, status: Int32 = 1, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(run.status == status, "exit status \(run.status); stderr: \(run.stderr)", sourceLocation: sourceLocation)
    #expect(run.stderr.contains(expected), "stderr: \(run.stderr)", sourceLocation: sourceLocation)
    let lines = run.stderr.split(separator: "\n")
    #expect(lines.count == 1, "more than one line: \(run.stderr)", sourceLocation: sourceLocation)
    #expect(
        !run.stderr.contains("NSCocoaErrorDomain") && !run.stderr.contains("Fatal error") && !run.stderr.contains("backtrace"),
        "stderr: \(run.stderr)", sourceLocation: sourceLocation)
}

@Suite("failures are one clear line and a non-zero exit")
struct FailureTests {
    @Test("lesson-6 --folds 5 with a fold missing or broken stops before any training, naming the file")
    func brokenFolds() throws {
        let data = try writeSmallMovieLens()
        defer { try? FileManager.default.removeItem(at: data) }
        // u2..u5 are copies of u1; then u3.test goes missing, and u4.base gets a broken line.
        for fold in 2...5 {
            try FileManager.default.copyItem(at: data.appendingPathComponent("u1.base"), to: data.appendingPathComponent("u\(fold).base"))
            try FileManager.default.copyItem(at: data.appendingPathComponent("u1.test"), to: data.appendingPathComponent("u\(fold).test"))
        }
        try FileManager.default.removeItem(at: data.appendingPathComponent("u3.test"))
        let missing = try LessonRun.run("lesson-6", ["--data", data.path, "--folds", "5", "--no-plots"])
        defer { missing.cleanUp() }
        expectOneLineError(missing, "u3.test is missing")
        #expect(!missing.stdout.contains("##"), "the lesson started before reading every fold")
        try FileManager.default.copyItem(at: data.appendingPathComponent("u1.test"), to: data.appendingPathComponent("u3.test"))
        try Data("1\t1\t5\t0\n1\t1\t4\t0\n".utf8).write(to: data.appendingPathComponent("u4.base"))
        let duplicate = try LessonRun.run("lesson-6", ["--data", data.path, "--folds", "5", "--no-plots"])
        defer { duplicate.cleanUp() }
        // File, line and MovieLens ids; never the internal indices.
        expectOneLineError(duplicate, "u4.base:2: user 1 rated movie 1 again (first on line 1)")
        #expect(!FileManager.default.fileExists(atPath: duplicate.output.path), "a failed first run leaves no output folder")
    }

    @Test("an explicit --data that does not exist, is a file, or holds no MovieLens is an error, and nothing is created")
    func explicitData() throws {
        let empty = try temporaryFolder("cf-empty")
        defer { try? FileManager.default.removeItem(at: empty) }
        let file = empty.appendingPathComponent("u.data.txt")
        try Data("x".utf8).write(to: file)
        let typo = empty.appendingPathComponent("ml-100l")
        for (folder, expected) in [
            (typo.path, "no such folder"), (file.path, "is a file, not a folder"),
            (empty.path, "no MovieLens data in \(empty.path): looked for u.data and u.item")
        ] {
            let run = try LessonRun.run("lesson-5", ["--data", folder, "--no-plots"])
            defer { run.cleanUp() }
            expectOneLineError(run, expected)
            #expect(!run.stdout.contains("SYNTHETIC") && !run.stderr.contains("SYNTHETIC"))
        }
        #expect(!FileManager.default.fileExists(atPath: typo.path), "the mistyped folder was created")
    }

    @Test("--my-ratings is read before training: Windows line endings pass; a duplicate names file, line and movie id")
    func myRatings() throws {
        let data = try writeSmallMovieLens()
        defer { try? FileManager.default.removeItem(at: data) }
        let windows = data.appendingPathComponent("windows.txt"), twice = data.appendingPathComponent("twice.txt")
        try Data("# mine\r\n3, 5\r\n4, 1\r\n10, 4\r\n".utf8).write(to: windows)
        try Data("3, 5\n\n3, 4\n".utf8).write(to: twice)
        let good = try LessonRun.run("lesson-5", ["--data", data.path, "--iterations", "5", "--epochs", "1", "--no-plots", "--my-ratings", windows.path])
        defer { good.cleanUp() }
        #expect(good.status == 0, "\(good.stderr)")
        for lesson in ["lesson-5", "lesson-6"] {
            let run = try LessonRun.run(lesson, ["--data", data.path, "--no-plots", "--my-ratings", twice.path])
            defer { run.cleanUp() }
            expectOneLineError(run, "twice.txt:3: movie 3 is rated again (first on line 1)")
            #expect(!run.stdout.contains("## The cost function") && !run.stdout.contains("## Three sets"), "\(lesson) went on before reading --my-ratings")
        }
    }

    @Test("an unknown --movie or --user names the valid range")
    func unknownIDs() throws {
        let data = try writeSmallMovieLens()
        defer { try? FileManager.default.removeItem(at: data) }
        let movie = try LessonRun.run("lesson-6", ["--data", data.path, "--movie", "99999", "--no-plots"])
        defer { movie.cleanUp() }
        expectOneLineError(movie, "movie 99999 is not in MovieLens 100K: its movie ids run from 1 to 60")
        let user = try LessonRun.run("lesson-5", ["--data", data.path, "--user", "99999", "--no-plots"])
        defer { user.cleanUp() }
        expectOneLineError(user, "user 99999 is not in MovieLens 100K (its user ids run from 1 to 40)")
    }

    @Test("size-like options are bounded, with the bound in --help; empty list items and an empty --output are errors")
    func bounds() throws {
        let cases: [(String, [String], String)] = [
            ("lesson-4", ["--epochs", "100000000"], "--epochs must be between 1 and 10000"),
            ("lesson-4", ["--k", "1,2,3,4,5,6,7,8,9"], "--k takes at most 8 values"),
            ("lesson-4", ["--k", "1,,3"], "The value '1,,3' is invalid for '--k"),
            ("lesson-4", ["--k", "1,3,"], "The value '1,3,' is invalid for '--k"),
            ("lesson-3", ["--iterations", "100000"], "--iterations must be between 1 and 10000"),
            ("lesson-5", ["--iterations", "100000"], "--iterations must be between 1 and 5000"),
            ("lesson-5", ["--epochs", "100000"], "--epochs must be between 1 and 500"),
            ("lesson-6", ["--epochs", "100000"], "--epochs must be between 1 and 500"),
            ("lesson-6", ["--patience", "200", "--epochs", "100"], "--patience must be between 1 and --epochs (100)"),
            ("lesson-6", ["--k", "1,2,3,4,5,6,7", "--lambda", "0.1,0.2,0.3", "--learning-rate", "0.1,0.2,0.3"], "at most 60 are allowed"),
            ("lesson-1", ["--output", ""], "--output needs a folder name"),
            ("lesson-5", ["--output", " "], "--output needs a folder name")
        ]
        for (lesson, arguments, expected) in cases {
            let run = try LessonRun.run(lesson, arguments, output: false)
            defer { run.cleanUp() }
            expectOneLineError(run, expected, status: 64)
            #expect(try FileManager.default.contentsOfDirectory(atPath: run.folder.path).isEmpty, "\(lesson) \(arguments) wrote something")
        }
        for (lesson, bound) in [("lesson-4", "(1…10000)"), ("lesson-3", "(1…10000)"), ("lesson-5", "(1…5000)"), ("lesson-6", "1…500")] {
            let help = try LessonRun.run(lesson, ["--help"], output: false)
            defer { help.cleanUp() }
            #expect(help.stdout.replacingOccurrences(of: "\n", with: " ").contains(bound), "\(lesson) --help does not state \(bound)")
        }
    }

    @Test("cf-bench --json to an impossible place fails at once, before any benchmark")
    func benchJSON() throws {
        let data = try writeSmallMovieLens()
        defer { try? FileManager.default.removeItem(at: data) }
        for (path, expected) in [
            ("/nonexistent-folder/bench.json", "the folder /nonexistent-folder does not exist"),
            (data.path, "is a folder"), ("", "--json needs a file name")
        ] {
            let run = try LessonRun.run("cf-bench", ["--data", data.path, "--json", path], output: false)
            defer { run.cleanUp() }
            expectOneLineError(run, expected, status: 64)
            #expect(!run.stdout.contains("SGD biased MF"), "the benchmark ran before the check")
        }
    }

    @Test("course doctor checks the data as the lessons read it: an empty u.data or a missing u.item is ✗")
    func doctorData() throws {
        let data = try writeSmallMovieLens()
        defer { try? FileManager.default.removeItem(at: data) }
        let good = try LessonRun.run("course", ["doctor", "--data", data.path, "--output", "out"], output: false)
        defer { good.cleanUp() }
        #expect(good.stdout.contains("✓ MovieLens 100K at \(data.path)") && good.stdout.contains("folds u1 readable"), "\(good.stdout)")
        try FileManager.default.removeItem(at: data.appendingPathComponent("u.item"))
        let noTitles = try LessonRun.run("course", ["doctor", "--data", data.path, "--output", "out"], output: false)
        defer { noTitles.cleanUp() }
        #expect(
            noTitles.status == 1 && noTitles.stdout.contains("✗ MovieLens at \(data.path) cannot be used: \(data.path)/u.item is missing"), "\(noTitles.stdout)"
        )
        try Data().write(to: data.appendingPathComponent("u.data"))
        let missing = try LessonRun.run("course", ["doctor", "--data", data.path + "/nowhere", "--output", "out"], output: false)
        defer { missing.cleanUp() }
        #expect(missing.status == 1 && missing.stdout.contains("✗ --data \(data.path)/nowhere: no MovieLens data"), "\(missing.stdout)")
    }

    @Test("file errors say what failed on which path in plain words")
    func plainFileErrors() throws {
        let data = try writeSmallMovieLens()
        defer { try? FileManager.default.removeItem(at: data) }
        // A folder where a file should be, and a file where the output folder should be.
        let mine = data.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        let asFolder = try LessonRun.run("lesson-5", ["--data", data.path, "--my-ratings", mine.path, "--no-plots"])
        defer { asFolder.cleanUp() }
        expectOneLineError(asFolder, "cannot read \(mine.path): it is a folder, not a file")
        let blocker = data.appendingPathComponent("out-file")
        try Data("x".utf8).write(to: blocker)
        let output = try LessonRun.run("lesson-1", ["--output", blocker.path], output: false)
        defer { output.cleanUp() }
        expectOneLineError(output, "cannot write to the output folder \(blocker.path): it is a file, not a folder")
        // A folder of the learner's own files is never replaced by a lesson's output.
        let own = data.appendingPathComponent("notes")
        try FileManager.default.createDirectory(at: own, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: own.appendingPathComponent("notes.txt"))
        let foreign = try LessonRun.run("lesson-1", ["--output", own.path], output: false)
        defer { foreign.cleanUp() }
        expectOneLineError(foreign, "it holds files (notes.txt) and no mark that the course wrote them")
        #expect(FileManager.default.fileExists(atPath: own.appendingPathComponent("notes.txt").path))
    }
}

@Suite("the synthetic fallback is never silent")
struct SyntheticFallbackTests {
    @Test("`course run` and `course` say when a lesson ran on synthetic data, and so does the contents page")
    func courseShowsIt() throws {
        let folder = temporaryPath("cf-course")
        let empty = folder.appendingPathComponent("no-data")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = syntheticEnvironment(empty)
        let run = try LessonRun.run(
            "course", ["run", "--from", "5", "--to", "5", "--output", folder.appendingPathComponent("out").path],
            output: false, environment: environment)
        defer { run.cleanUp() }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("lesson-5: warning: running on SYNTHETIC data"), "\(run.stdout)")
        #expect(run.stdout.contains("(on SYNTHETIC data: MovieLens could not be had)"))
        let index = try String(contentsOf: folder.appendingPathComponent("out/index.html"), encoding: .utf8)
        #expect(index.contains("on SYNTHETIC data, because MovieLens could not be had"))
        let list = try LessonRun.run("course", ["--output", folder.appendingPathComponent("out").path], output: false, environment: environment)
        defer { list.cleanUp() }
        #expect(list.stdout.contains("(on synthetic data)"), "\(list.stdout)")
    }
}
