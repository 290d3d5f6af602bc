import Foundation
import Numerics
import TestSupport
import Testing

@Suite("lesson-5 end to end")
struct Lesson5Tests {
    @Test("on small generated data through --data: the whole story, figures and results")
    func smallData() throws {
        let data = try writeSmallMovieLens()
        defer { try? FileManager.default.removeItem(at: data) }
        let mine = data.appendingPathComponent("mine.txt")
        try Data("# my ratings\n3, 5\n4,1\n\n10 , 4.0\n".utf8).write(to: mine)
        let run = try LessonRun.run(
            "lesson-5",
            [
                "--data", data.path, "--iterations", "60", "--epochs", "5", "--user", "2",
                "--my-ratings", mine.path
            ])
        defer { run.cleanUp() }
        try run.expectSuccess(figures: ["rating-histogram", "cost", "predicted-vs-actual"])
        let results = try run.results()
        #expect(results["dataset"] as? String == "MovieLens 100K")
        #expect(results["synthetic"] as? Bool == false)
        #expect(results["users"] as? Int == 40 && results["movies"] as? Int == 60)
        #expect(try run.number("gradient_check_max_relative_difference") < 1e-9)
        let costs = try #require(results["gd_costs"] as? [Double])
        #expect(costs.count == 61 && zip(costs, costs.dropFirst()).allSatisfy { $1 <= $0 })
        // Computed here by hand from the fold: J starts near ½ Σ r² (predictions are ~1e-3), and the baseline
        // predicts each movie's training mean (the global training mean for a movie with no training ratings).
        let ratings = smallRatings(), train = ratings.filter { !$0.isTest }, held = ratings.filter(\.isTest)
        #expect(
            try run.number("initial_cost").isApproximatelyEqual(
                to: 0.5 * train.reduce(0) { $0 + $1.value * $1.value },
                relativeTolerance: 1e-3))
        let globalMean = train.reduce(0) { $0 + $1.value } / Double(train.count)
        // Each movie's mean shrunk toward the global mean by a prior worth 10 ratings (the lesson's normalization).
        func movieMean(_ movie: Int) -> Double {
            let own = train.filter { $0.movie == movie }
            return (own.reduce(0) { $0 + $1.value } + 10 * globalMean) / (Double(own.count) + 10)
        }
        let baseline = (held.reduce(0) { $0 + pow(movieMean($1.movie) - $1.value, 2) } / Double(held.count)).squareRoot()
        #expect(try run.number("baseline_movie_mean_rmse_test").isApproximatelyEqual(to: baseline, relativeTolerance: 1e-12))
        #expect(results["training_ratings"] as? Int == train.count && results["test_ratings"] as? Int == held.count)
        let recommended = try #require(results["recommended"] as? [[String: Any]])
        #expect(!recommended.isEmpty && recommended.count <= 10)
        let mineRecommended = try #require(results["new_user_recommended"] as? [[String: Any]]).compactMap { $0["movie_id"] as? Int }
        #expect(!mineRecommended.contains(3) && !mineRecommended.contains(4) && !mineRecommended.contains(10))
        #expect(run.stdout.contains("Top 10 for you"))
    }

    @Test("no data and no network: says so clearly and completes on synthetic data")
    func offlineFallback() throws {
        // CF_DATA_DIR must name a folder that exists (a mistyped one is an error); an empty one is downloaded into.
        let empty = try temporaryFolder("cf-empty")
        defer { try? FileManager.default.removeItem(at: empty) }
        var environment = ProcessInfo.processInfo.environment
        environment["CF_MOVIELENS_URL"] = "file:///nonexistent/ml-100k.zip"
        environment["CF_DATA_DIR"] = empty.path  // the default location (no --data): the fallback is allowed here
        let run = try LessonRun.run(
            "lesson-5", ["--iterations", "10", "--epochs", "1", "--no-plots", "--quiet"],
            environment: environment)
        defer { run.cleanUp() }
        #expect(run.status == 0, "\(run.stderr)")
        // Announced on stderr even with --quiet, in one line, and in the transcript.
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.hasPrefix("lesson-5: warning: running on SYNTHETIC data") && run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        let transcript = try String(contentsOf: run.output.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(transcript.contains("Could not get MovieLens") && transcript.contains("**Warning:** running on SYNTHETIC data"))
        #expect(try run.results()["synthetic"] as? Bool == true)
        #expect(try run.results()["ratings"] as? Int == 100_000)
        #expect((try? FileManager.default.contentsOfDirectory(atPath: empty.path))?.isEmpty ?? true, "nothing half-downloaded is left")
    }

    @Test("malformed data, an unknown user and a bad ratings file: one line naming the place")
    func badInput() throws {
        let data = try writeSmallMovieLens()
        defer { try? FileManager.default.removeItem(at: data) }
        let bad = data.appendingPathComponent("bad.txt")
        try Data("3, 5\n4; 2\n".utf8).write(to: bad)
        let cases: [([String], String)] = [
            (["--user", "999"], "user 999 is not in MovieLens 100K"),
            (["--my-ratings", bad.path], "bad.txt:2: expected `movie id, rating`")
        ]
        for (arguments, expected) in cases {
            let run = try LessonRun.run("lesson-5", ["--data", data.path, "--iterations", "5", "--epochs", "1", "--no-plots"] + arguments)
            defer { run.cleanUp() }
            #expect(run.status == 1)
            #expect(run.stderr.contains(expected), "\(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1)
        }
        try Data("1\t1\t5\t0\n2\t1\toops\t0\n".utf8).write(to: data.appendingPathComponent("u.data"))
        let run = try LessonRun.run("lesson-5", ["--data", data.path])
        defer { run.cleanUp() }
        #expect(run.status == 1)
        #expect(run.stderr.contains("u.data:2: rating `oops` is not a number"), "\(run.stderr)")
    }
}
