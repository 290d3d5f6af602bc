import Foundation
import TestSupport
import Testing

/// The transcript of a run, with its line breaks folded, so a sentence can be found whole.
func transcript(_ run: LessonRun) throws -> String {
    try String(contentsOf: run.output.appendingPathComponent("README.md"), encoding: .utf8)
        .split(whereSeparator: \.isWhitespace).joined(separator: " ")
}

/// The lessons' sentences that depend on their numbers say what the numbers show, for seeds other than the default.
@Suite("the narrative says what the numbers show, with other seeds")
struct NarrativeTests {
    static let seeds = ["1", "7"]

    @Test("lesson-3: a poor end is said exactly when the objective ends 25% above the best restart's (seed 1 is one)", arguments: seeds + ["42"])
    func lesson3(seed: String) throws {
        let run = try LessonRun.run("lesson-3", ["--seed", seed, "--no-plots"])
        defer { run.cleanUp() }
        #expect(run.status == 0, "\(run.stderr)")
        let text = try transcript(run), results = try run.results()
        let objective = try #require((results["objective_per_half_step"] as? [Double])?.last)
        let restarts = try #require(results["restart_objectives"] as? [String: Double])
        let poor = objective > 1.25 * (restarts.values.min() ?? .nan)
        #expect(text.contains("This is a poor end.") == poor, "seed \(seed)")
        #expect(text.contains("so it is not a poor end.") == !poor, "seed \(seed)")
        #expect(text.contains("songs that the same people like tend to end up near each other") == !poor)
        if seed == "1" { #expect(poor, "seed 1 ends at 17.11 against 2.57: the case the issue found") }
    }

    @Test("lesson-1: the two worked scores are read from their products")
    func lesson1() throws {
        let run = try LessonRun.run("lesson-1", ["--no-plots"])
        defer { run.cleanUp() }
        #expect(run.status == 0, "\(run.stderr)")
        let text = try transcript(run)
        // The transcript escapes the underscore of user_1 for Markdown.
        #expect(text.contains("Star Wars scores 2.142 for user\\_1: every product is positive"), "\(text.prefix(3000))")
        #expect(
            text.contains(
                "Casablanca scores 0.011 for user\\_1: novelty (+0.58) and action (+0.32) add to it, sci-fi (-0.89) takes away, and the two nearly cancel out.")
        )
    }

    @Test("lesson-4: the k comparison, the validation ranking and the choice of reg match the recorded errors", arguments: seeds)
    func lesson4(seed: String) throws {
        for validation in ["0.2", "0.99"] {
            let run = try LessonRun.run("lesson-4", ["--seed", seed, "--validation", validation, "--k", "1,2,3,5,8", "--no-plots"])
            defer { run.cleanUp() }
            #expect(run.status == 0, "\(run.stderr)")
            let text = try transcript(run), results = try run.results()
            let grid = try #require(results["validation_grid"] as? [Double])
            let byValidation = try #require(results["validation_rmse"] as? [Double])
            let byHidden = try #require(results["validation_hidden_rmse"] as? [Double])
            func order(_ values: [Double]) -> [Int] { values.indices.sorted { values[$0] != values[$1] ? values[$0] < values[$1] : $0 < $1 } }
            let v = order(byValidation), h = order(byHidden)
            if v == h {
                #expect(text.contains("rank all \(grid.count) values of reg in the same order"))
            } else if v[0] == h[0] {
                #expect(text.contains("both columns pick reg = \(grid[v[0]])"))
            } else {
                #expect(
                    text.contains("Here they disagree: validation picks reg = \(grid[v[0]]), the hidden cells would pick \(grid[h[0]])"),
                    "seed \(seed), --validation \(validation)")
            }
            #expect(!text.contains("here the two columns agree on the ranking"))
            #expect(results["best_reg"] as? Double == grid[v[0]])
            // The k comparison: each k above 3 is said to gain little on the hidden cells only when it does.
            let comparison = try #require(results["k_comparison"] as? [String: [String: Double]])
            if let atRank = comparison["k=3"]?["rmse_unobserved"] {
                let above = [5, 8].compactMap { comparison["k=\($0)"]?["rmse_unobserved"] }
                let gainsLittle = above.allSatisfy { $0 >= 0.9 * atRank }
                #expect(text.contains("the hidden cells gain little or get worse") == gainsLittle, "seed \(seed)")
            }
        }
    }

    @Test("lesson-5: which model beats the baseline, and which descends faster per pass, as the numbers say", arguments: seeds)
    func lesson5(seed: String) throws {
        let data = try writeSmallMovieLens()
        defer { try? FileManager.default.removeItem(at: data) }
        let run = try LessonRun.run("lesson-5", ["--data", data.path, "--seed", seed, "--iterations", "60", "--epochs", "8", "--no-plots"])
        defer { run.cleanUp() }
        #expect(run.status == 0, "\(run.stderr)")
        let text = try transcript(run), results = try run.results()
        let baseline = try run.number("baseline_movie_mean_rmse_test"), gd = try run.number("gd_rmse_test"), sgd = try run.number("sgd_rmse_test")
        let beaten = [gd, sgd].filter { $0 < baseline }.count
        #expect(text.contains("Both factor models beat the movie mean") == (beaten == 2))
        #expect(text.contains("Neither factor model beats the movie mean") == (beaten == 0))
        let gdCosts = try #require(results["gd_costs"] as? [Double]), sgdCosts = try #require(results["sgd_costs"] as? [Double])
        let passes = min(gdCosts.count, sgdCosts.count) - 1
        let lower = (1...passes).filter { sgdCosts[$0] < gdCosts[$0] }.count
        if lower == passes {
            #expect(text.contains("SGD, with its many steps per pass, is below batch GD after every one of the \(passes) passes"))
        } else if lower == 0 {
            #expect(text.contains("batch GD is below SGD after every one of the \(passes) passes"))
        } else {
            #expect(text.contains("SGD is below batch GD after \(lower) of the \(passes) passes"))
        }
        let plain = try run.number("baseline_plain_movie_mean_rmse_test")
        #expect(text.contains("shrinking costs a little accuracy here") == (plain < baseline))
    }

    @Test("lesson-6: the learning curve, the implicit-feedback choice and the comparison, as the numbers say", arguments: seeds)
    func lesson6(seed: String) throws {
        let data = try writeSmallMovieLens()
        defer { try? FileManager.default.removeItem(at: data) }
        let run = try LessonRun.run(
            "lesson-6",
            [
                "--data", data.path, "--seed", seed, "--k", "3,5", "--lambda", "0.05,0.1", "--epochs", "30",
                "--patience", "4", "--no-plots"
            ])
        defer { run.cleanUp() }
        #expect(run.status == 0, "\(run.stderr)")
        let text = try transcript(run), results = try run.results()
        let curve = try #require((results["learning_curve_lambda_0.001"] as? [String: Any])?["validation_rmse"] as? [Double])
        let best = try #require(curve.indices.min { curve[$0] < curve[$1] })
        let turnsUp = best + 1 < curve.count && curve.last! - curve.min()! > 0.001
        #expect(text.contains("the validation RMSE is lowest after epoch \(best + 1) and then rises") == turnsUp, "seed \(seed)")
        #expect(text.contains("has not turned up within") == !turnsUp)
        let implicit = try #require(results["implicit_feedback"] as? [String: Any])
        #expect(text.contains("Implicit feedback lowers the validation RMSE") == (implicit["used"] as? Bool == true))
        let comparison = try #require(results["comparison"] as? [[String: Any]])
        let rmse = { (name: String) in comparison.first { ($0["method"] as? String ?? "").hasPrefix(name) }?["rmse"] as? Double ?? .nan }
        let winner = try #require(comparison.min { ($0["rmse"] as? Double ?? .infinity) < ($1["rmse"] as? Double ?? .infinity) })
        #expect(text.lowercased().contains("the most accurate method here is \(winner["method"] as? String ?? "?")".lowercased()))
        // The course's aim on MovieLens 100K's u1 is stated only on the real MovieLens 100K, not on a small file in its format.
        #expect(!text.contains("This course aimed for 0.915"))
        #expect(text.contains("Factors on top of biases do best") == (winner["method"] as? String ?? "").hasPrefix("biased"))
        #expect(text.contains("do no better than the movie mean") == (rmse("baseline") >= rmse("movie mean")))
    }

    @Test("lesson-7: the chosen model and the claim about the raw cosine, as the validation numbers say", arguments: seeds)
    func lesson7(seed: String) throws {
        let data = try writeSmallMovieLens()
        defer { try? FileManager.default.removeItem(at: data) }
        let run = try LessonRun.run("lesson-7", ["--data", data.path, "--seed", seed, "--k", "3,5,10", "--no-plots"])
        defer { run.cleanUp() }
        #expect(run.status == 0, "\(run.stderr)")
        let text = try transcript(run), results = try run.results()
        let validation = try #require(results["validation_rmse"] as? [String: [Double]])
        let best = try #require(validation.flatMap { name, row in row.map { (name, $0) } }.min { $0.1 < $1.1 })
        #expect(text.contains("The lowest validation RMSE is \(best.0)'s, with k ="), "\(seed)")
        let items = validation.filter { $0.key.hasPrefix("item-item") }
        // "The weakest" needs cosine's best above both other item-item measures' bests (and, the unit tests check, by
        // more than the noise); exactly one of the two sentences is there.
        let cosineBest = items["item-item, cosine"]?.min() ?? .nan
        let cosineWorst = items.filter { $0.key != "item-item, cosine" }.values.allSatisfy { ($0.min() ?? .infinity) < cosineBest }
        let weakest = text.contains("The raw cosine is the weakest item-item measure here"),
            notClearly = text.contains("Here the raw cosine is not clearly the weakest")
        #expect(weakest != notClearly)
        #expect(!weakest || cosineWorst)
        // The test table is read against the baseline in one sentence.
        #expect(text.contains("Compared with the baseline rating by rating on"))
    }

    @Test("lesson-8: the claims about averaging and about the blend, as the numbers say", arguments: seeds)
    func lesson8(seed: String) throws {
        let data = try writeSmallMovieLens()
        defer { try? FileManager.default.removeItem(at: data) }
        let run = try LessonRun.run("lesson-8", ["--data", data.path, "--seed", seed, "--k", "3", "--samples", "30", "--burn-in", "5", "--no-plots"])
        defer { run.cleanUp() }
        #expect(run.status == 0, "\(run.stderr)")
        let text = try transcript(run), results = try run.results()
        let bpmf = try #require(results["bpmf"] as? [String: Any])
        let single = try #require(bpmf["validation_rmse_single"] as? [Double]), average = try #require(bpmf["validation_rmse"] as? Double)
        #expect(text.contains("better than any one of them") == (average < (single.min() ?? .nan)))
        let blend = try run.number("final_test_rmse"), best = try run.number("best_single_test_rmse")
        let better = text.contains("better, by more than the noise (compared rating by rating)"), tie = text.contains("within the noise of it ("),
            worse = text.contains("worse, by more than the noise: the weights fitted on validation")
        #expect([better, tie, worse].filter { $0 }.count == 1)
        #expect(!better || blend < best)
        #expect(!worse || blend > best)
        let variant = try #require(results["bayesian_implicit"] as? [String: Any])
        let users = variant["validation_rmse"] as? Double ?? .nan, both = variant["both_sides_validation_rmse"] as? Double ?? .nan
        let chosen = try #require(variant["chosen"] as? String)
        let rmse = ["Bayesian MF (BPMF)": average, "Bayesian SVD++": users, "Bayesian SVD++, both sides": both]
        // A richer model is kept only when it predicts better than the simpler one, by more than the noise; never one that
        // stopped in the race.
        #expect(chosen == "Bayesian MF (BPMF)" || rmse[chosen]! < average, "\(seed): \(chosen)")
        let samples = try #require(bpmf["samples"] as? Int)
        let usersSamples = try #require(variant["samples"] as? Int), bothSamples = try #require(variant["both_sides_samples"] as? Int)
        #expect(chosen != "Bayesian SVD++" || usersSamples == samples)
        #expect(chosen != "Bayesian SVD++, both sides" || bothSamples == samples)
        #expect(text.contains("The intervals below come from \(chosen)") == (chosen != "Bayesian MF (BPMF)"))
        #expect(text.contains("The rest of the lesson uses plain BPMF") == (chosen == "Bayesian MF (BPMF)"))
        // When one of the two stopped in the race, the comparisons are made at the checkpoint, on the RMSEs there.
        let raced = usersSamples < samples || bothSamples < samples
        let checkpoint = variant["checkpoint"] as? Int ?? 0
        let bpmfAverage = try #require(bpmf["validation_rmse_average"] as? [Double])
        let usersThere = raced ? variant["validation_rmse_at_checkpoint"] as? Double ?? .nan : users
        let bothThere = raced ? variant["both_sides_validation_rmse_at_checkpoint"] as? Double ?? .nan : both
        let averageThere = usersSamples < samples ? bpmfAverage[checkpoint - 1] : average
        #expect(!raced || text.contains("raced as the α's did: at sample \(checkpoint)"))
        // Exactly one word for each term's effect, and its direction agrees with the numbers.
        for (what, rich, simple) in [("The users' term", usersThere, averageThere), ("adding the movies' term", bothThere, usersThere)] {
            let lowers = text.contains("\(what) lowers"), within = text.contains("\(what) changes it only within the noise"),
                raises = text.contains("\(what) raises")
            #expect([lowers, within, raises].filter { $0 }.count == 1, "\(seed): \(what)")
            #expect(!lowers || rich < simple)
            #expect(!raises || rich > simple)
        }
        // α: the lowest of the grid and the drawn run among those that went to the end, and what the lesson says of the
        // drawn one.
        let ran = try #require(bpmf["alpha_samples"] as? [String: Int])
        let all = try #require(bpmf["alpha_validation_rmse"] as? [String: Double]), grid = all.filter { ran[$0.key] == samples }
        let lowest = try #require(grid.min { $0.value < $1.value })
        #expect(text.contains("The lowest validation RMSE belongs to \(lowest.key)"))
        let drawnWins = lowest.key == "α drawn"
        #expect(text.contains("Drawn, it ends at") == drawnWins)
        // The best fixed value as the lesson takes it: among the fixed runs that went to the end (one always does unless
        // the drawn run led the race alone).
        let fixed = grid.filter { $0.key != "α drawn" }
        let bestFixed = try #require((fixed.isEmpty ? all.filter { $0.key != "α drawn" } : fixed).min { $0.value < $1.value })
        let drawnLast = try #require(bpmf["drawn_alpha_last"] as? Double)
        let bestFixedAlpha = Double(bestFixed.key.dropFirst(4)) ?? .nan
        #expect(!text.contains("above the best fixed value") || (!drawnWins && drawnLast > bestFixedAlpha))
        // A drawn run that stopped was behind the leader at the checkpoint; one that went to the end is compared there.
        if let drawn = grid["α drawn"], !drawnWins {
            #expect(!text.contains("predicts worse by more than the noise") || drawn > lowest.value)
        } else if !drawnWins {
            #expect(text.contains("where it stopped)"))
        }
        // One Gibbs step by hand: "wider" only when the samples' spread is.
        let conditional = try #require(results["user_conditional"] as? [String: Double])
        #expect(text.contains(": wider, because the samples also move") == (conditional["samples_sd"]! > conditional["sd"]!))
    }

    @Test("lesson-9: who beats popularity, where the rating model ranks, and whether sampling reorders the models, as the numbers say", arguments: seeds)
    func lesson9(seed: String) throws {
        let data = try writeSmallMovieLens()
        defer { try? FileManager.default.removeItem(at: data) }
        let run = try LessonRun.run("lesson-9", ["--data", data.path, "--seed", seed, "--no-plots"] + lesson9Quick)
        defer { run.cleanUp() }
        #expect(run.status == 0, "\(run.stderr)")
        let text = try transcript(run), results = try run.results()
        let test = try #require(results["test"] as? [String: [String: Any]])
        func ndcg(_ models: [String: Any], _ name: String) -> Double { (models[name] as? [String: Any])?["ndcg"] as? Double ?? .nan }
        for (key, name) in [("random", "the random protocol"), ("last", "leave last out")] {
            guard let models = test[key], let start = text.range(of: "On \(name), ") else { continue }
            // The sentence ends at the first full stop followed by a space or a line's end (not a decimal point).
            let rest = text[start.upperBound...]
            let sentence = String(rest[..<(rest.range(of: #"\.(\s|$)"#, options: .regularExpression)?.lowerBound ?? rest.endIndex)])
            let clauses = sentence.split(separator: ";").map(String.init)
            let popularity = ndcg(models, "popularity")
            for model in ["weighted ALS", "BPR"] {
                // Each trained model is in exactly one clause after the lead; a beat needs a higher NDCG, a loss a lower one.
                let mine = clauses.dropFirst().filter { $0.contains(model) }
                #expect(mine.count == 1, "\(key): \(model) in \(sentence)")
                guard let clause = mine.first else { continue }
                if clause.contains("popularity") && clause.contains("beat") { #expect(ndcg(models, model) > popularity, "\(key): \(sentence)") }
                if clause.contains("worse than popularity") { #expect(ndcg(models, model) < popularity, "\(key): \(sentence)") }
            }
        }
        let random = try #require(test["random"])
        let ratingNDCG = ndcg(random, "rating model"), popularNDCG = ndcg(random, "popularity")
        let below = text.contains("the rating model ranks below popularity, by more than the noise")
        let level = text.contains("the rating model ranks level with popularity, within the noise")
        let above = text.contains("the rating model ranks above popularity, by more than the noise")
        #expect([below, level, above].filter { $0 }.count == 1)
        #expect(!below || ratingNDCG < popularNDCG)
        #expect(!above || ratingNDCG > popularNDCG)
        let changes = try #require(results["sampled_order_changes"] as? [String: [String]])
        #expect(!text.contains("Here the sampled metrics put the models in the same order") || changes.values.allSatisfy(\.isEmpty))
        #expect(text.contains("The order changes:") == !changes.values.allSatisfy(\.isEmpty))
    }
}
