import Foundation
import TestSupport
import Testing

/// Small grids, so that a run on the small data sets takes a second or two in a debug build.
let lesson9Quick = ["--factors", "8", "--alphas", "1,10", "--epochs", "10,30", "--neighbours", "5,20", "--iterations", "5"]

@Suite("lesson-9 end to end")
struct Lesson9Tests {
    @Test("on small generated data: both protocols, every model and metric recorded, the figures, and the worked solutions' cells agree with the core")
    func smallData() throws {
        let data = try writeSmallMovieLens()
        defer { try? FileManager.default.removeItem(at: data) }
        // On the worked solutions, plain Swift apart from the core: the shipped placeholders would fall back to the core
        // itself, and "the cells agree with the core" could not fail.
        let run = try LessonRun.run("lesson-9", ["--data", data.path, "--solutions"] + lesson9Quick)
        defer { run.cleanUp() }
        try run.expectSuccess(figures: ["wals-loss", "bpr-loss", "ndcg-random", "ndcg-last", "precision-recall", "long-tail"])
        let results = try run.results()
        let test = try #require(results["test"] as? [String: [String: Any]])
        #expect(Set(test.keys) == ["random", "last"])
        for (_, models) in test {
            #expect(Set(models.keys) == ["random", "popularity", "item-item", "weighted ALS", "BPR", "rating model", "rating model (filtered)"])
            for (_, value) in models {
                let metrics = try #require(value as? [String: Any])
                for key in ["ndcg", "precision", "recall", "map", "hit_rate", "auc", "coverage", "popular_share"] {
                    let number = try #require(metrics[key] as? Double, "\(key) missing")
                    #expect((0...1).contains(number), "\(key) = \(number)")
                }
                #expect((metrics["precision_curve"] as? [Double])?.count == 50)
            }
        }
        // The sampled protocol is reported on leave-last-out only.
        #expect((test["last"]?["BPR"] as? [String: Any])?["sampled_hit_rate"] is Double)
        #expect((test["random"]?["BPR"] as? [String: Any])?["sampled_hit_rate"] == nil)
        let cells = try #require(results["metric_cells"] as? [String: Any])
        #expect(cells["precision"] as? Double == cells["precision_core"] as? Double && cells["ndcg"] as? Double == cells["ndcg_core"] as? Double)
        let meanPrecision = try #require(cells["mean_precision"] as? Double), meanNDCG = try #require(cells["mean_ndcg"] as? Double)
        #expect(meanPrecision > 0 && meanNDCG > 0, "the popularity ranker hits something on the small data")
        #expect(run.stdout.contains("the cells give the core's numbers"), "the solutions' means agree with the core's")
        #expect(try run.number("bpr_step_cell_difference") < 1e-12)
        let losses = try #require((results["wals_losses"] as? [String: [Double]])?["cholesky"])
        for (before, after) in zip(losses, losses.dropFirst()) { #expect(after <= before * (1 + 1e-5), "the exact solver's objective rose") }
        let chosen = try #require(((results["validation"] as? [String: Any])?["random"] as? [String: Any])?["chosen"] as? [String: Any])
        #expect([1.0, 10].contains(chosen["wals_alpha"] as? Double ?? 0) && [10, 30].contains(chosen["bpr_epochs"] as? Int ?? 0))
    }

    @Test("on latest-small: the new user's list and every model keep to movies with enough interactions where the lesson says so; no crash on half stars")
    func latestSmall() throws {
        let data = try writeLatestSmall()
        defer { try? FileManager.default.removeItem(at: data) }
        let run = try LessonRun.run("lesson-9", ["--data", data.path, "--no-plots"] + lesson9Quick)
        defer { run.cleanUp() }
        #expect(run.status == 0 && run.stderr.isEmpty, "\(run.stderr)")
        let results = try run.results()
        let newUser = try #require(results["new_user"] as? [String: Any])
        let recommended = try #require(newUser["recommended"] as? [Int])
        #expect(!recommended.isEmpty && recommended.allSatisfy { $0 < 5000 }, "an obscure film with two ratings was recommended: \(recommended)")
        #expect((newUser["watched"] as? [Int])?.contains(260) == true, "Star Wars is found by title in latest-small")
    }

    @Test("--positive-only counts ratings of 4 and more only, and the narrative says so; --exact-als solves by Cholesky")
    func positiveOnly() throws {
        let data = try writeSmallMovieLens()
        defer { try? FileManager.default.removeItem(at: data) }
        let run = try LessonRun.run("lesson-9", ["--data", data.path, "--positive-only", "--exact-als", "--no-plots"] + lesson9Quick)
        defer { run.cleanUp() }
        #expect(run.status == 0, "\(run.stderr)")
        let positives = smallRatings().filter { $0.value >= 4 }.count
        #expect(try run.number("interactions") == Double(positives))
        #expect(try transcript(run).contains("only a rating of 4 stars or more counts as an interaction"))
        #expect(try transcript(run).contains("this run uses the exact solve"))
    }

    @Test("--my-ratings: the new user's movies are the file's, read before any training; a bad line is one error naming file and line")
    func myRatings() throws {
        let data = try writeSmallMovieLens()
        defer { try? FileManager.default.removeItem(at: data) }
        let mine = data.appendingPathComponent("mine.txt"), bad = data.appendingPathComponent("bad.txt")
        try Data("# mine\n3, 5\n4, 2\n10, 4\n".utf8).write(to: mine)
        try Data("3, 5\nfour\n".utf8).write(to: bad)
        let run = try LessonRun.run("lesson-9", ["--data", data.path, "--no-plots", "--my-ratings", mine.path] + lesson9Quick)
        defer { run.cleanUp() }
        #expect(run.status == 0, "\(run.stderr)")
        let newUser = try #require(try run.results()["new_user"] as? [String: Any])
        #expect(newUser["watched"] as? [Int] == [3, 4, 10])
        let wrong = try LessonRun.run("lesson-9", ["--data", data.path, "--no-plots", "--my-ratings", bad.path] + lesson9Quick)
        defer { wrong.cleanUp() }
        expectOneLineError(wrong, "bad.txt:2: expected `movie id, rating`")
        #expect(!wrong.stdout.contains("Two ways to hold out"), "the file is read before the lesson starts its work")
        // Lessons without a new user do not offer the option.
        let seven = try LessonRun.run("lesson-7", ["--my-ratings", mine.path], output: false)
        defer { seven.cleanUp() }
        #expect(seven.status == 64 && seven.stderr.contains("--my-ratings"))
    }

    @Test("bad options are one line each, with the bound")
    func badOptions() throws {
        for (arguments, expected) in [
            (["--top", "0"], "--top must be between 1 and 50, not 0"),
            (["--alphas", "0,5"], "--alphas takes up to 8 values, each between 0.1 and 1000"),
            (["--factors", "500"], "--factors must be between 2 and 200, not 500")
        ] {
            let run = try LessonRun.run("lesson-9", arguments, output: false)
            defer { run.cleanUp() }
            expectOneLineError(run, expected, status: 64)
        }
    }
}
