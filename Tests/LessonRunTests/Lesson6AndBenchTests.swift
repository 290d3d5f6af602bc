import Foundation
import Numerics
import TestSupport
import Testing

@Suite("lesson-6 and cf-bench end to end")
struct Lesson6AndBenchTests {
    @Test("lesson-6 on small generated data: search, final test, cold start, similar movies, comparison")
    func lesson6() throws {
        let data = try writeSmallMovieLens()
        defer { try? FileManager.default.removeItem(at: data) }
        let run = try LessonRun.run(
            "lesson-6",
            [
                "--data", data.path, "--k", "4,8", "--lambda", "0.05,0.1", "--learning-rate", "0.05", "--epochs", "60",
                "--patience", "5", "--movie", "7"
            ])
        defer { run.cleanUp() }
        try run.expectSuccess(figures: ["learning-curves", "validation-vs-lambda", "implicit-feedback", "rmse-vs-time"])
        let results = try run.results()
        let grid = try #require(results["grid"] as? [[String: Any]])
        #expect(grid.count == 4)
        let chosen = try #require(results["chosen"] as? [String: Any])
        let best = grid.min { ($0["validation_rmse"] as! Double) < ($1["validation_rmse"] as! Double) }!
        #expect(chosen["k"] as? Int == best["k"] as? Int && chosen["lambda"] as? Double == best["lambda"] as? Double)
        // Implicit feedback is used exactly when it wins on validation, and the chosen epochs are that run's best.
        let implicit = try #require(results["implicit_feedback"] as? [String: Any])
        let used = try #require(implicit["used"] as? Bool)
        #expect(used == ((implicit["validation_rmse"] as! Double) < (best["validation_rmse"] as! Double)))
        #expect(chosen["implicit_feedback"] as? Bool == used)
        #expect(chosen["epochs"] as? Int == (used ? implicit["best_epoch"] : best["best_epoch"]) as? Int)
        let comparison = try #require(results["comparison"] as? [[String: Any]])
        // The final model and the comparison's "(chosen)" row are the same training, so the same RMSE; and it must beat
        // predicting the global mean.
        let row = { (name: String) in comparison.first { $0["method"] as? String == name }?["rmse"] as? Double }
        let plainName = "biased SGD MF" + (used ? "" : " (chosen)")
        let implicitName = "biased SGD MF + implicit feedback (SVD++)" + (used ? " (chosen)" : "")
        #expect(try run.number("final_test_rmse") == row(used ? implicitName : plainName))
        #expect(try run.number("final_test_rmse") < row("global mean")!)
        #expect(
            comparison.map { $0["method"] as! String } == [
                "global mean", "movie mean", "baseline μ + b_u + b_i", "batch GD (lesson 5)",
                "plain SGD MF (lesson 5)", plainName, implicitName, "ALS (lesson 3)", "biased ALS"
            ])
        // The formulas' underscores (b_u, p_u) are text, not emphasis, in both transcripts.
        let page = try String(contentsOf: run.output.appendingPathComponent("index.html"), encoding: .utf8)
        let transcript = try String(contentsOf: run.output.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(page.contains("μ + b&#95;u + b&#95;i") && !page.contains("<em>"))
        #expect(transcript.contains("μ + b\\_u + b\\_i"))
        let similar = try #require(results["similar_movie_ids"] as? [Int])
        #expect(!similar.contains(7))
        let cold = try #require(results["cold_start"] as? [String: Any])
        #expect((cold["fold_in_top"] as? [[String: Any]])?.isEmpty == false)
        #expect((cold["retrained_top"] as? [[String: Any]])?.isEmpty == false)
    }

    @Test("cf-bench --scale: one step of each trainer at 100K, a table and a log-log figure; an unknown size is an error")
    func scale() throws {
        let run = try LessonRun.run("cf-bench", ["--scale", "--scale-up-to", "100K", "--runs", "1", "--scale-output", "fig"], output: false)
        defer { run.cleanUp() }
        #expect(run.status == 0, "\(run.stderr)")
        let row = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("100K") })
        let numbers = row.split(separator: " ").compactMap { Double($0) }
        // ratings, bytes per rating, three step times, generation time
        #expect(numbers.first == 100_000 && numbers.contains(32))
        #expect(numbers.dropFirst(2).prefix(3).allSatisfy { $0 > 0 }, "\(row)")
        let script = try String(contentsOf: run.folder.appendingPathComponent("fig/scale.gp"), encoding: .utf8)
        #expect(script.contains("set logscale x") && script.contains("set logscale y"))
        let wrong = try LessonRun.run("cf-bench", ["--scale", "--scale-up-to", "5M"], output: false)
        defer { wrong.cleanUp() }
        #expect(wrong.status == 64 && wrong.stderr.contains("--scale-up-to must be one of 100K, 1M, 10M, 25M"))
    }

    /// python3, where the machine has one: the peers' table is written by a Python script.
    static let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(
        "bench-peers' table pairs each trainer with its peer, divides the right way, and reports a skipped peer as skipped",
        .enabled(if: python != nil, "python3 is not installed: the table is written by a Python script"))
    func peersTable() throws {
        let python = try #require(Self.python)
        let folder = try temporaryFolder("cf-peers")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ours =
            #"{"rows": [{"trainer": "SGD biased MF", "settings": "k=100, Float, 2 threads", "seconds_per_step": 0.002, "step": "epoch", "rmse_test": 0.95},"#
            + #"{"trainer": "batch GD", "settings": "k=10", "seconds_per_step": 0.0005, "step": "iteration", "rmse_test": 0.958}]}"#
        let peers =
            #"[{"peer": "Surprise SVD", "seconds_per_step": 0.016, "step": "epoch", "rmse_test": 0.956, "version": "surprise 1.1.5"},"#
            + #"{"peer": "numpy batch GD", "skipped": "ModuleNotFoundError: No module named 'numpy'"}]"#
        try Data(ours.utf8).write(to: folder.appendingPathComponent("ours.json"))
        try Data(peers.utf8).write(to: folder.appendingPathComponent("peers.json"))
        let script = try runProcess(
            URL(fileURLWithPath: python), [packageRoot.appendingPathComponent("scripts/bench_table.py").path, "ours.json", "peers.json", "table.md"],
            in: folder)
        #expect(script.status == 0, "\(script.stderr)")
        let table = try String(contentsOf: folder.appendingPathComponent("table.md"), encoding: .utf8)
        // 16 ms against 2 ms: 8.0×, which meets "≥ 8×".
        #expect(
            table.contains(
                "| SGD biased MF, k=100, 20 epochs, 2 threads | 2.00 ms/epoch | Surprise SVD | 16.00 ms/epoch | 8.0× | 0.9500 | 0.9560 | ≥ 8×: met |"),
            "\(table)")
        #expect(table.contains("numpy batch GD | skipped: ModuleNotFoundError"))
        #expect(!table.contains("0.0×"))
    }

    @Test("cf-bench on small generated data (debug build): a table, and JSON with every row")
    func bench() throws {
        let data = try writeSmallMovieLens()
        defer { try? FileManager.default.removeItem(at: data) }
        let json = data.appendingPathComponent("bench.json")
        let run = try LessonRun.run("cf-bench", ["--data", data.path, "--runs", "2", "--json", json.path], output: false)
        defer { run.cleanUp() }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("SGD biased MF") && run.stdout.contains("ALS biased") && run.stdout.contains("batch GD"))
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
        let rows = try #require(parsed["rows"] as? [[String: Any]])
        // SGD on one thread and on every core (one row when there is one core), SVD++, ALS in double and single
        // precision, plain ALS at k = 50 and k = 10, batch GD, the implicit-feedback wALS rows (no RMSE: null), Bayesian MF
        // and Bayesian SVD++, and BPR.
        let names = rows.compactMap { $0["trainer"] as? String }
        #expect(
            names.filter { $0 != "SGD biased MF" } == [
                "SGD SVD++", "ALS biased", "ALS biased", "ALS", "ALS", "batch GD",
                "implicit wALS", "implicit wALS", "Bayesian MF", "Bayesian SVD++ both sides", "BPR-MF"
            ])
        #expect(names.filter { $0 == "SGD biased MF" }.count == (ProcessInfo.processInfo.activeProcessorCount > 1 ? 2 : 1))
        for row in rows {
            #expect((row["seconds"] as? [Double])?.count == 2)
            let implicitFeedback = ["implicit wALS", "BPR-MF"].contains(row["trainer"] as? String ?? "")
            #expect(implicitFeedback ? row["rmse_test"] is NSNull : (row["rmse_test"] as? Double).map { $0 > 0 && $0 < 5 } == true)
            #expect((row["rating_updates_per_second"] as? Double).map { $0 > 0 } == true)
        }
        let missing = try LessonRun.run("cf-bench", ["--data", "/nonexistent"], output: false)
        defer { missing.cleanUp() }
        // The lessons' own lookup and words (before, cf-bench had a message of its own).
        expectOneLineError(missing, "--data /nonexistent: no such folder")
    }
}
