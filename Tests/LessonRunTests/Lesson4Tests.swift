import Foundation
import Numerics
import Testing

/// Expected values come from the numpy notebook run with python3 (numpy 2.4).
@Suite("lesson-4 end to end")
struct Lesson4Tests {
    @Test("reproduces the notebook's losses and writes every figure")
    func notebookRun() throws {
        let run = try LessonRun.run("lesson-4")
        defer { run.cleanUp() }
        try run.expectSuccess(figures: ["true-matrix", "observed-matrix", "loss", "loss-log", "reconstruction", "hidden-error"])
        #expect(try run.results()["observed_cells"] as? Int == 171)
        #expect(try run.number("loss_first_epoch").isApproximatelyEqual(to: 1.9731534485206352, relativeTolerance: 1e-9))
        #expect(try run.number("loss_final").isApproximatelyEqual(to: 0.0005330870259347341, relativeTolerance: 1e-9))
        #expect(try run.number("rmse_unobserved").isApproximatelyEqual(to: 0.1042920967078807, relativeTolerance: 1e-9))
        #expect(try run.number("rmse_observed").isApproximatelyEqual(to: 0.023088677440137928, relativeTolerance: 1e-9))
        #expect((try run.results()["loss_per_epoch"] as? [Double])?.count == 200)
    }

    @Test("the exercise flags: k comparison (k = 1 diverges at numpy's epoch 120), validation, biases")
    func exercises() throws {
        let run = try LessonRun.run("lesson-4", ["--k", "1,2,3", "--validation", "0.2", "--biases"])
        defer { run.cleanUp() }
        try run.expectSuccess(figures: ["k-comparison", "validation-reg", "biases-loss"])
        let comparison = try #require(try run.results()["k_comparison"] as? [String: [String: Any]])
        #expect(comparison["k=1"]?["diverged_at_epoch"] as? Int == 120)
        let k2 = try #require(comparison["k=2"]?["final_training_mse"] as? Double)
        #expect(k2.isApproximatelyEqual(to: 0.11320984332734646, relativeTolerance: 1e-9))
        let grid = try #require(try run.results()["validation_grid"] as? [Double])
        let rmse = try #require(try run.results()["validation_rmse"] as? [Double])
        let best = try run.number("best_reg")
        #expect(grid.count == rmse.count && grid.contains(best))
        #expect(rmse[grid.firstIndex(of: best)!] == rmse.min())
        // numpy port of the biased update (μ = mean of the observed cells; biases, then U, then V with the new U).
        #expect(try run.number("biased_rmse_unobserved").isApproximatelyEqual(to: 0.21562343635378428, relativeTolerance: 1e-9))
        #expect(try run.number("biased_rmse_observed").isApproximatelyEqual(to: 0.02737230049947208, relativeTolerance: 1e-9))
    }

    @Test("--learning-rate 50: stops with one line naming the epoch and suggesting a smaller rate")
    func divergence() throws {
        let run = try LessonRun.run("lesson-4", ["--learning-rate", "50"])
        defer { run.cleanUp() }
        #expect(run.status == 1)
        #expect(
            run.stderr
                == "lesson-4: error: SGD diverged at epoch 1: the loss became NaN or infinite with learning rate 50; try a smaller learning rate (e.g. 5)\n")
        #expect(!FileManager.default.fileExists(atPath: run.output.appendingPathComponent("results.json").path))
    }

    @Test("bad flag values")
    func badFlags() throws {
        for arguments in [["--k", "1,x"], ["--k", "0"], ["--validation", "1.5"], ["--epochs", "0"], ["--learning-rate", "-1"]] {
            let run = try LessonRun.run("lesson-4", arguments)
            defer { run.cleanUp() }
            #expect(run.status != 0 && run.stderr.contains(": error: "), "\(arguments): \(run.stderr)")
        }
    }
}
