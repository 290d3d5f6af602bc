import Foundation
import Numerics
import TestSupport
import Testing

/// The trust rules a recommendation list must pass on every data set: each movie has at least the lesson's
/// minimum of training ratings, that minimum did not collapse (20 here, where a tenth of the movies have more),
/// predictions lie on the scale, and the list is ranked by the model's raw score.
func expectTrusted(_ list: [[String: Any]], minimum: Int, scale: ClosedRange<Double>, _ name: String) {
    #expect(!list.isEmpty, "\(name) is empty")
    #expect(minimum == 20, "\(name): the minimum of ratings collapsed to \(minimum)")
    for entry in list {
        let count = entry["ratings"] as? Int ?? 0, predicted = entry["predicted"] as? Double ?? .nan
        #expect(count >= minimum, "\(name): \(entry["title"] ?? "?") has only \(count) ratings")
        #expect(scale.contains(predicted), "\(name): \(predicted) is off the scale")
        #expect(!(entry["title"] as? String ?? "").hasPrefix("Obscure"), "\(name): a two-rating movie is recommended")
    }
    let scores = list.compactMap { $0["score"] as? Double }
    #expect(scores.count == list.count && zip(scores, scores.dropFirst()).allSatisfy { $0 >= $1 }, "\(name) is not ranked by raw score")
}

@Suite("a second MovieLens format (latest-small) end to end")
struct LatestSmallTests {
    @Test("lesson-5: top-10 lists pass the trust rules, and the built-in new user is found by title, not by 100K ids")
    func lesson5() throws {
        let data = try writeLatestSmall()
        defer { try? FileManager.default.removeItem(at: data) }
        let run = try LessonRun.run("lesson-5", ["--data", data.path, "--iterations", "40", "--epochs", "5", "--no-plots"])
        defer { run.cleanUp() }
        #expect(run.status == 0 && run.stderr.isEmpty, "\(run.stderr)")
        let results = try run.results()
        #expect(results["dataset"] as? String == "MovieLens latest-small")
        let minimum = try #require(results["minimum_ratings"] as? Int)
        expectTrusted(try #require(results["recommended"] as? [[String: Any]]), minimum: minimum, scale: 0.5...5, "user 1's top 10")
        expectTrusted(try #require(results["new_user_recommended"] as? [[String: Any]]), minimum: minimum, scale: 0.5...5, "the new user's top 10")
        // The new user's ten movies, by latest-small's titles; none of MovieLens 100K's ids (50, 181, ...) is used.
        #expect(run.stdout.contains("Star Wars: Episode IV - A New Hope (1977)") && run.stdout.contains("Liar Liar (1997)"))
        #expect(run.stdout.contains("the built-in new user") && !run.stdout.contains("are not in MovieLens latest-small"))
        let transcript = try String(contentsOf: run.output.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(transcript.contains("the ids are in movies.csv"))
    }

    @Test("lesson-6: cold-start lists pass the trust rules and are ranked by raw score; counts are labelled; --movie resolves by title")
    func lesson6() throws {
        let data = try writeLatestSmall()
        defer { try? FileManager.default.removeItem(at: data) }
        let run = try LessonRun.run("lesson-6", ["--data", data.path, "--k", "5", "--lambda", "0.05", "--epochs", "15", "--patience", "3", "--no-plots"])
        defer { run.cleanUp() }
        #expect(run.status == 0 && run.stderr.isEmpty, "\(run.stderr)")
        let results = try run.results()
        let cold = try #require(results["cold_start"] as? [String: Any])
        let minimum = try #require(cold["minimum_ratings"] as? Int)
        expectTrusted(try #require(cold["fold_in_top"] as? [[String: Any]]), minimum: minimum, scale: 0.5...5, "fold-in top 10")
        expectTrusted(try #require(cold["retrained_top"] as? [[String: Any]]), minimum: minimum, scale: 0.5...5, "retrained top 10")
        // The default "because you liked" movie is Star Wars by its latest-small title (id 260), not 100K's id 50.
        #expect(run.stdout.contains("## Because you liked Star Wars: Episode IV - A New Hope (1977)"))
        // Each table says which ratings it counts.
        #expect(run.stdout.contains("fit ratings") && run.stdout.contains("training ratings"))
        #expect(run.stdout.contains("Try `--movie ") && !run.stdout.contains("--movie 127"))
        let transcript = try String(contentsOf: run.output.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(!transcript.contains("u1."), "the lesson speaks of MovieLens 100K's folds on a data set without them")
    }
}

@Suite("lesson-7 end to end")
struct Lesson7Tests {
    @Test("on small generated data: validation curve, test table, explained top 10 whose shares add up, movie map; trust rules")
    func smallData() throws {
        let data = try writeSmallMovieLens()
        defer { try? FileManager.default.removeItem(at: data) }
        let run = try LessonRun.run("lesson-7", ["--data", data.path, "--k", "3,5,10", "--user", "2"])
        defer { run.cleanUp() }
        try run.expectSuccess(figures: ["rmse-vs-k", "explanation", "movie-map"])
        let results = try run.results()
        let validation = try #require(results["validation_rmse"] as? [String: [Double]])
        #expect(validation.count == 6 && validation.values.allSatisfy { $0.count == 3 })  // item-item and user-user, three measures each
        let chosen = try #require(results["chosen"] as? [String: Any])
        let best = validation.flatMap { name, row in row.enumerated().map { (name, $0.offset, $0.element) } }.min { $0.2 < $1.2 }
        #expect(chosen["model"] as? String == best?.0, "the chosen model is the best on validation")
        let explanation = try #require(results["explanation"] as? [String: Any])
        let shares = try #require(explanation["shares"] as? [[String: Any]]).compactMap { $0["share"] as? Double }
        let prediction = try #require(explanation["score"] as? Double), baseline = try #require(explanation["baseline"] as? Double)
        #expect(shares.reduce(0, +).isApproximatelyEqual(to: prediction - baseline, absoluteTolerance: 1e-9))
        #expect((explanation["rebuilt_by_cell"] as? Double)?.isApproximatelyEqual(to: prediction, absoluteTolerance: 1e-9) == true)
        let minimum = try #require(results["minimum_ratings"] as? Int)
        let recommended = try #require(results["recommended"] as? [[String: Any]])
        #expect(!recommended.isEmpty && recommended.allSatisfy { ($0["ratings"] as? Int ?? 0) >= minimum })
        #expect(try run.number("shrunk_pearson_check_difference") < 1e-5)
    }

    @Test("on latest-small: the recommendations pass the trust rules, the anchor movie is found by title, and --folds 5 is refused")
    func latestSmall() throws {
        let data = try writeLatestSmall()
        defer { try? FileManager.default.removeItem(at: data) }
        // A data set without folds: --folds 5 is an error (before, one random split was used and called a five-fold mean).
        let folds = try LessonRun.run("lesson-7", ["--data", data.path, "--k", "5,20", "--no-plots", "--folds", "5"])
        defer { folds.cleanUp() }
        expectOneLineError(folds, "--folds 5: MovieLens latest-small has no official folds")
        let run = try LessonRun.run("lesson-7", ["--data", data.path, "--k", "5,20", "--no-plots"])
        defer { run.cleanUp() }
        #expect(run.status == 0 && run.stderr.isEmpty, "\(run.stderr)")
        let results = try run.results()
        let minimum = try #require(results["minimum_ratings"] as? Int)
        #expect(minimum == 20)
        let recommended = try #require(results["recommended"] as? [[String: Any]])
        #expect(!recommended.isEmpty)
        for entry in recommended {
            #expect((entry["ratings"] as? Int ?? 0) >= minimum && !(entry["title"] as? String ?? "").hasPrefix("Obscure"))
        }
        #expect(run.stdout.contains("Most like Star Wars: Episode IV - A New Hope (1977)"))
        let transcript = try String(contentsOf: run.output.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(!transcript.contains("u1"), "the lesson speaks of u1 on a data set without it")
    }

    @Test("bad input: an unknown user or movie, a bad --k, one line each")
    func badInput() throws {
        let data = try writeSmallMovieLens()
        defer { try? FileManager.default.removeItem(at: data) }
        let user = try LessonRun.run("lesson-7", ["--data", data.path, "--user", "9999", "--no-plots"])
        defer { user.cleanUp() }
        expectOneLineError(user, "user 9999 is not in MovieLens 100K")
        let movie = try LessonRun.run("lesson-7", ["--data", data.path, "--movie", "9999", "--no-plots"])
        defer { movie.cleanUp() }
        expectOneLineError(movie, "movie 9999 is not in MovieLens 100K: its movie ids run from 1 to 60")
        let k = try LessonRun.run("lesson-7", ["--k", "0,5"], output: false)
        defer { k.cleanUp() }
        expectOneLineError(k, "--k takes up to 12 values, each between 1 and 200", status: 64)
    }
}

@Suite("lesson-8 end to end")
struct Lesson8Tests {
    @Test("on small generated data: the sampler's trace, intervals around the top 10, a blend tested once; the average beats one sample")
    func smallData() throws {
        let data = try writeSmallMovieLens()
        defer { try? FileManager.default.removeItem(at: data) }
        let run = try LessonRun.run("lesson-8", ["--data", data.path, "--k", "3", "--samples", "40", "--burn-in", "10", "--user", "2"])
        defer { run.cleanUp() }
        try run.expectSuccess(figures: ["bpmf-trace", "top10-intervals", "blend-weights"])
        let results = try run.results()
        let bpmf = try #require(results["bpmf"] as? [String: Any])
        let single = try #require(bpmf["validation_rmse_single"] as? [Double]), average = try #require(bpmf["validation_rmse"] as? Double)
        #expect(single.count == 40 && average < single.suffix(30).reduce(0, +) / 30, "the average of the samples is better than a typical sample")
        let top = try #require(results["top10"] as? [[String: Any]])
        for entry in top {
            let low = entry["low"] as? Double ?? .nan, high = entry["high"] as? Double ?? .nan, predicted = entry["predicted"] as? Double ?? .nan
            #expect(low <= high && (1...5).contains(low) && (1...5).contains(high))
            #expect(low - 1e-9 <= min(max(predicted, 1), 5) && min(max(predicted, 1), 5) <= high + 1e-9 || high - low < 1e-9)
        }
        let blend = try #require(results["blend"] as? [String: Any])
        // Six models, the chosen Bayesian model too when it is not BPMF, then three features; each model and the blend tested.
        let chosen = try #require((results["bayesian_implicit"] as? [String: Any])?["chosen"] as? String)
        #expect(["Bayesian MF (BPMF)", "Bayesian SVD++", "Bayesian SVD++, both sides"].contains(chosen))
        let withImplicit = chosen != "Bayesian MF (BPMF)"
        #expect((blend["weights"] as? [String: Double])?.count == (withImplicit ? 10 : 9))
        let test = try #require(results["test_rmse"] as? [String: [Double]])
        #expect(test.count == (withImplicit ? 8 : 7) && test.values.allSatisfy { $0.count == 1 && $0[0] > 0 && $0[0] < 2 })
    }

    @Test("on latest-small: half-star scale respected by the intervals and the blend, no word of u1, trust rules on the top 10")
    func latestSmall() throws {
        let data = try writeLatestSmall()
        defer { try? FileManager.default.removeItem(at: data) }
        let run = try LessonRun.run("lesson-8", ["--data", data.path, "--k", "3", "--samples", "30", "--burn-in", "5", "--no-plots"])
        defer { run.cleanUp() }
        #expect(run.status == 0 && run.stderr.isEmpty, "\(run.stderr)")
        let results = try run.results()
        let top = try #require(results["top10"] as? [[String: Any]])
        #expect(!top.isEmpty)
        for entry in top {
            #expect((0.5...5).contains(entry["low"] as? Double ?? .nan) && (0.5...5).contains(entry["high"] as? Double ?? .nan))
            #expect((entry["ratings"] as? Int ?? 0) >= 20)
        }
        #expect(try run.number("final_test_rmse") < 1.5)
        let transcript = try String(contentsOf: run.output.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(!transcript.contains("u1"), "the lesson speaks of u1 on a data set without it")
    }

    @Test("bad options are one line each, with the bound")
    func badOptions() throws {
        for (arguments, expected) in [
            (["--burn-in", "50", "--samples", "40"], "--burn-in must be between 0 and --samples − 1 (39)"),
            (["--k", "0"], "--k must be between 1 and 100"),
            (["--alphas", "0,2"], "--alphas takes up to 8 values, each between 0.1 and 20")
        ] {
            let run = try LessonRun.run("lesson-8", arguments, output: false)
            defer { run.cleanUp() }
            expectOneLineError(run, expected, status: 64)
        }
    }
}
