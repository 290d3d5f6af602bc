import Foundation
import TestSupport
import Testing

/// Small networks and few epochs, so that a run on the small data sets takes seconds in a debug build.
let lesson10Quick = ["--factors", "8", "--hidden", "16", "--decays", "0.01,0.3", "--epochs", "6"]

@Suite("lesson-10 end to end")
struct Lesson10Tests {
    @Test(
        "on small generated data: the three models' curves, the grid, the test with lesson 6's model, ranking, the dot-product experiment, serving, the cells' network; the figures"
    )
    func smallData() throws {
        let data = try writeSmallMovieLens()
        defer { try? FileManager.default.removeItem(at: data) }
        let run = try LessonRun.run("lesson-10", ["--data", data.path, "--solutions"] + lesson10Quick)
        defer { run.cleanUp() }
        try run.expectSuccess(figures: ["embedding_nn-epochs", "dot_product-epochs", "validation-epochs", "dot-product-by-dimension", "dot-product-by-pairs"])
        let results = try run.results()
        let grid = try #require(results["validation_grid"] as? [String: [String: [String: Any]]])
        #expect(Set(grid.keys) == ["dot_product", "embedding_nn", "neumf"])
        for (_, decays) in grid {
            #expect(Set(decays.keys) == ["0.01", "0.3"])
            for (_, cell) in decays { #expect((cell["epochs"] as? Int).map { (1...6).contains($0) } == true) }
        }
        let tested = try #require(results["tested"] as? [String: [String: Double]])
        #expect(Set(tested.keys) == ["dot_product", "embedding_nn", "neumf", "lesson_6"])
        for (key, value) in tested {
            let rmse = try #require(value["rmse"]), half = try #require(value["half_width"])
            #expect(rmse > 0 && rmse < 2 && half > 0 && half < rmse, "\(key): \(rmse) ± \(half)")
        }
        let ranking = try #require(results["ranking"] as? [String: [String: Any]])
        #expect(Set(ranking.keys) == ["neumf", "weighted_als", "bpr"])
        for (_, value) in ranking { #expect((value["ndcg"] as? Double).map { (0...1).contains($0) } == true) }
        let experiment = try #require(results["dot_product_experiment"] as? [[String: Any]])
        #expect(experiment.count == 10)
        // The dot product is the true model of that data: with 120,000 pairs at d = 8 it is close to exact.
        let dotMany = experiment.first { $0["model"] as? String == "dot product" && $0["d"] as? Int == 8 && $0["pairs"] as? Int == 120_000 }
        #expect(((dotMany?["relative_error"] as? Double) ?? 1) < 0.5)
        let serving = try #require(results["serving"] as? [String: [String: Double]])
        #expect(serving["dot_product"]?["multiplies_per_pair"] == 8 && serving["embedding_nn"]?["multiplies_per_pair"] == 16 * 16 + 16)
        let byHand = try #require(results["by_hand_rmse"] as? [Double])
        #expect(byHand.count == 41 && byHand.last! < byHand.first!, "the worked solutions' cells train the small network")
    }

    @Test("on latest-small (half stars, no folds): the sigmoid's range is half a star beyond the scale, and every section runs")
    func latestSmall() throws {
        let data = try writeLatestSmall()
        defer { try? FileManager.default.removeItem(at: data) }
        let run = try LessonRun.run("lesson-10", ["--data", data.path, "--no-plots"] + lesson10Quick)
        defer { run.cleanUp() }
        #expect(run.status == 0 && run.stderr.isEmpty, "\(run.stderr)")
        #expect(run.stdout.contains("ŷ = 0 + 5.5 σ(z)"), "latest-small's scale is 0.5 to 5, so the range is 0 to 5.5")
        let results = try run.results()
        #expect((results["tested"] as? [String: Any])?.count == 4)
    }

    @Test("bad options are one line each, before any training")
    func badOptions() throws {
        for (arguments, words) in [
            (["--decays", "0.1,200"], "--decays takes 1 to 8 values"), (["--hidden", "0"], "--hidden takes 1 to 4 layer sizes"),
            (["--folds", "3"], "--folds must be 1 or 5"), (["--learning-rate", "1"], "--learning-rate must be between")
        ] {
            let run = try LessonRun.run("lesson-10", arguments + ["--no-plots"])
            defer { run.cleanUp() }
            #expect(run.status != 0 && run.stderr.contains(words) && run.stderr.split(separator: "\n").count == 1, "\(arguments): \(run.stderr)")
        }
    }
}
