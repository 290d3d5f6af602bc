import Foundation
import TestSupport
import Testing

@Suite("no silent wrong answers, and messages that say what to do (issue 22, items 4–6 and 10–18)")
struct HonestAnswersTests {
    @Test("--folds 5 with the folds missing is an error naming the file; without folds the text never says u1 (item 4)")
    func missingFolds() throws {
        let data = try writeSmallMovieLensWithoutFolds()
        defer { try? FileManager.default.removeItem(at: data) }
        // Before: a seeded 80/20 split stood in for every fold, and its score was reported as the mean of u1..u5.
        for lesson in ["lesson-6", "lesson-7", "lesson-8"] {
            let run = try LessonRun.run(lesson, ["--data", data.path, "--folds", "5", "--no-plots"])
            defer { run.cleanUp() }
            expectOneLineError(run, "--folds 5 asks for the official folds u1..u5, and \(data.path)/u1.base is missing")
            #expect(!run.stdout.contains("##"), "\(lesson) started before finding its folds")
        }
        // Half a fold (u1.test without u1.base) is broken data, not a reason to split at random.
        try Data("1\t1\t3\t881250949\n".utf8).write(to: data.appendingPathComponent("u1.test"))
        let half = try LessonRun.run("lesson-6", ["--data", data.path, "--no-plots"])
        defer { half.cleanUp() }
        expectOneLineError(half, "\(data.path)/u1.base is missing")
        // No fold at all and none asked for: a seeded split, never called u1.
        try FileManager.default.removeItem(at: data.appendingPathComponent("u1.test"))
        let plain = try LessonRun.run("lesson-7", ["--data", data.path, "--no-plots", "--k", "5,10"])
        defer { plain.cleanUp() }
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(!plain.stdout.contains("u1"), "lesson 7 speaks of u1 on a data set without it")
        #expect(plain.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ").contains("a seeded 80/20 split"))
        // Lesson 6's progress lines said "u1: baseline" here (item 18).
        let six = try LessonRun.run("lesson-6", ["--data", data.path, "--no-plots", "--k", "3", "--lambda", "0.1", "--epochs", "5", "--patience", "2"])
        defer { six.cleanUp() }
        #expect(six.status == 0 && !six.stdout.contains("u1"), "\(six.stderr)")
    }

    @Test("a CF_DATA_DIR that is missing, a file or a relative typo is an error, and nothing is created (item 10)")
    func badDataDirectory() throws {
        let top = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: top) }
        try put("x", "a-file", in: top)
        for (value, expected) in [
            (top.appendingPathComponent("missing").path, "no such folder"), ("dta/ml-100k", "CF_DATA_DIR=dta/ml-100k: no such folder"),
            (top.appendingPathComponent("a-file").path, "is a file, not a folder")
        ] {
            var environment = ProcessInfo.processInfo.environment
            environment["CF_DATA_DIR"] = value
            environment["CF_MOVIELENS_URL"] = "file:///nonexistent/ml-100k.zip"
            let run = try runProgram(
                "lesson-5", ["--quiet", "--no-plots", "--output", top.appendingPathComponent("out").path], in: top,
                environment: environment)
            expectOneLineError(run, expected)
            #expect(!run.stderr.contains("SYNTHETIC"), "a mistyped CF_DATA_DIR fell back to synthetic data")
        }
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: top.path)) == ["a-file"], "a folder was created")
    }

    @Test("results.json: `predicted` on the rating scale, `score` raw, in lesson 8 as in lesson 5 (item 5)")
    func predictionsOnScale() throws {
        let data = try writeSmallMovieLens()
        defer { try? FileManager.default.removeItem(at: data) }
        let run = try LessonRun.run(
            "lesson-8",
            [
                "--data", data.path, "--no-plots", "--samples", "20", "--burn-in", "5", "--k", "3",
                "--alphas", "2"
            ])
        defer { run.cleanUp() }
        #expect(run.status == 0, "\(run.stderr)")
        let top = try #require(try run.results()["top10"] as? [[String: Any]])
        #expect(!top.isEmpty)
        for entry in top {
            let predicted = try #require(entry["predicted"] as? Double), score = try #require(entry["score"] as? Double)
            #expect((1...5).contains(predicted) && predicted == min(max(score, 1), 5), "\(entry)")
        }
    }

    @Test("divergence from a huge penalty names the penalty, with round numbers to try (item 13)")
    func divergenceMessages() throws {
        let run = try LessonRun.run("lesson-4", ["--reg", "1e9", "--no-plots"])
        defer { run.cleanUp() }
        expectOneLineError(run, "penalty λ = 1e+09: each step multiplies the factors by 1 − rate·λ")
        #expect(run.stderr.contains("try a smaller λ (below 20)") && !run.stderr.contains("00000000"), "\(run.stderr)")
        let rate = try LessonRun.run("lesson-4", ["--learning-rate", "0.3", "--epochs", "400", "--no-plots"])
        defer { rate.cleanUp() }
        if rate.status != 0 { #expect(rate.stderr.contains("e.g. 0.03)") && !rate.stderr.contains("0000000"), "\(rate.stderr)") }
    }

    @Test("options are named in their errors, and every mistake is one line (items 13, 15, 17, 18)")
    func optionMessages() throws {
        let data = try writeSmallMovieLens()
        defer { try? FileManager.default.removeItem(at: data) }
        let cases: [(String, [String], String)] = [
            ("lesson-4", ["--validation", "0.999"], "--validation 0.999 holds out 171 of the 171 observed cells, leaving none to train on"),
            ("lesson-5", ["--data", data.path, "--alpha", "0"], "--alpha is a learning rate and must be a positive number, not 0.0"),
            ("lesson-5", ["--data", data.path, "--my-ratings", ""], "--my-ratings needs a file name (it is empty)"),
            ("lesson-5", ["--data", data.path, "--my-ratings", "/dev/null"], "cannot read /dev/null: it is not a regular file"),
            ("lesson-6", ["--data", data.path, "--lambda", "0"], "--lambda values must be > 0: the cold-start user is folded in"),
            ("lesson-1", ["--you", "0.1,0.2,0.3,"], "The value '0.1,0.2,0.3,' is invalid for '--you <a,b,c>'"),
            ("lesson-1", ["--seed", "-1"], "seeds are whole numbers from 0 to 4294967295"),
            ("lesson-1", ["--bogus"], "Unknown option '--bogus'"),
            ("cf-bench", ["--synthetic", "--data", data.path], "--synthetic and --data exclude each other"),
            ("cf-bench", ["--json", "/proc/x.json"], "--json /proc/x.json: cannot create a file in /proc")
        ]
        for (program, arguments, expected) in cases {
            let run = try LessonRun.run(program, arguments + (program == "cf-bench" ? [] : ["--no-plots"]), output: program != "cf-bench")
            defer { run.cleanUp() }
            expectOneLineError(run, expected, status: expected.contains("holds out") || expected.contains("regular file") ? 1 : 64)
            if run.status == 64 { #expect(!run.stdout.contains("##"), "\(program) \(arguments) started before refusing") }
        }
    }

    @Test("huge numbers are written in scientific notation, never hundreds of digits (item 18)")
    func hugeNumbers() throws {
        let run = try LessonRun.run("lesson-3", ["--lambda", "1e300", "--no-plots", "--iterations", "3"])
        defer { run.cleanUp() }
        #expect(run.status == 0, "\(run.stderr)")
        let digits = run.stdout.range(of: #"[0-9]{20,}"#, options: .regularExpression).map { String(run.stdout[$0]) }
        #expect(digits == nil, "a number of \(digits?.count ?? 0) digits")
        #expect(run.stdout.contains("e+"), "no number in scientific notation")
    }

    @Test("--check with --quiet prints only the cells that are wrong; an empty NO_COLOR does not turn colour off (item 18)")
    func quietCheck() throws {
        let run = try LessonRun.run("lesson-1", ["--check", "--quiet", "--solutions"], output: false)
        defer { run.cleanUp() }
        #expect(run.status == 0 && run.stdout.isEmpty, "\(run.stdout)")
        let loud = try LessonRun.run("lesson-1", ["--check", "--solutions"], output: false)
        defer { loud.cleanUp() }
        #expect(loud.stdout.contains("done and right"))
    }

    @Test("a user who has rated every movie is told there is nothing left to recommend, without lists of thousands (item 16)")
    func everythingRated() throws {
        let data = try writeSmallMovieLens()
        defer { try? FileManager.default.removeItem(at: data) }
        let mine = data.appendingPathComponent("mine.txt")
        try Data((1...60).map { "\($0), \($0 % 5 + 1)\n" }.joined().utf8).write(to: mine)
        // Before: an empty table, "share 0 of 10 movies", every rating in a table and every title in a sentence.
        for (lesson, extra, summary) in [
            ("lesson-5", ["--iterations", "20", "--epochs", "2"], "Your ratings (the first 20 of 60)"),
            ("lesson-9", ["--alphas", "5", "--epochs", "20", "--neighbours", "10"], "and 55 other movies")
        ] {
            let run = try LessonRun.run(lesson, ["--data", data.path, "--my-ratings", mine.path, "--no-plots"] + extra)
            defer { run.cleanUp() }
            #expect(run.status == 0, "\(lesson): \(run.stderr)")
            let text = run.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")  // paragraphs are wrapped
            #expect(text.contains("othing is left to recommend"), "\(lesson) did not say so")
            #expect(!text.contains("share 0 of"), "\(lesson)")
            #expect(text.contains(summary), "\(lesson) did not summarize the user's movies")
        }
    }
}
