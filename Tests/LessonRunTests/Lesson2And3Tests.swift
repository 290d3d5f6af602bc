import Foundation
import Numerics
import Testing

/// Expected values come from an independent numpy port (np.linalg.solve per row, np.random.seed + rand).
@Suite("lessons 2 and 3 end to end")
struct Lesson2And3Tests {
    @Test("lesson-2: both regressions match numpy's squared errors and vectors")
    func lesson2() throws {
        let run = try LessonRun.run("lesson-2")
        defer { run.cleanUp() }
        try run.expectSuccess(figures: ["ratings", "completed-by-listener", "completed-by-song", "fitted-vs-actual"])
        #expect(try run.number("sse_listener_regressions").isApproximatelyEqual(to: 7.28582438191798, relativeTolerance: 1e-10))
        #expect(try run.number("sse_song_regressions").isApproximatelyEqual(to: 3.8860756152175044, relativeTolerance: 1e-10))
        let tastes = try #require(try run.results()["listener_tastes"] as? [String: [Double]])
        #expect(tastes.count == 7)
        #expect(tastes["ana"]![0].isApproximatelyEqual(to: 5.035595126640738, relativeTolerance: 1e-10))
        #expect(tastes["ana"]![1].isApproximatelyEqual(to: 1.0619760193435503, relativeTolerance: 1e-10))
        let styles = try #require(try run.results()["song_styles_learned"] as? [String: [Double]])
        #expect(styles["Paper Lanterns"]![0].isApproximatelyEqual(to: 0.8265751715533377, relativeTolerance: 1e-10))
        #expect(run.stdout.contains("1 equation cannot determine 2 unknowns"))
    }

    @Test("lesson-2 --lambda 1 raises the squared error to numpy's ridge value")
    func lesson2Lambda() throws {
        let run = try LessonRun.run("lesson-2", ["--lambda", "1", "--no-plots"])
        defer { run.cleanUp() }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try run.number("sse_listener_regressions").isApproximatelyEqual(to: 37.32331641231998, relativeTolerance: 1e-10))
    }

    @Test("lesson-3: the objective per half-step is numpy's, never increases, and converges")
    func lesson3() throws {
        let run = try LessonRun.run("lesson-3")
        defer { run.cleanUp() }
        try run.expectSuccess(figures: ["ratings", "loss", "reconstructed", "factors"])
        let objective = try #require(try run.results()["objective_per_half_step"] as? [Double])
        #expect(objective.count == 20)
        let numpy = [117.49886352638079, 27.01010532029845, 4.641999952606216, 2.87273411569288]
        for (ours, theirs) in zip(objective, numpy) { #expect(ours.isApproximatelyEqual(to: theirs, relativeTolerance: 1e-10)) }
        #expect(objective.last!.isApproximatelyEqual(to: 2.5665514979066626, relativeTolerance: 1e-10))
        #expect(zip(objective, objective.dropFirst()).allSatisfy { $1 <= $0 })
        #expect(try run.results()["converged"] as? Bool == true)
        #expect(try run.number("transform_max_prediction_change") < 1e-9)
        let predictions = try #require(try run.results()["predictions"] as? [String: [String: Double]])
        #expect(predictions.values.map(\.count).reduce(0, +) == 70 - 46)
        #expect(predictions.values.flatMap(\.values).allSatisfy { (1...5).contains($0) })
    }

    @Test("lesson-3 --k 3 --lambda 0.1 --seed 7 matches numpy's regularized run")
    func lesson3Flags() throws {
        let run = try LessonRun.run("lesson-3", ["--k", "3", "--lambda", "0.1", "--seed", "7", "--no-plots"])
        defer { run.cleanUp() }
        #expect(run.status == 0, "\(run.stderr)")
        let objective = try #require(try run.results()["objective_per_half_step"] as? [Double])
        #expect(objective.count == 200)
        #expect(objective.first!.isApproximatelyEqual(to: 86.35202151666006, relativeTolerance: 1e-10))
        #expect(objective.last!.isApproximatelyEqual(to: 8.28335364882006, relativeTolerance: 1e-9))
    }

    @Test("lesson-3 --k 5 without λ: one clear line naming the song and suggesting --lambda")
    func lesson3Underdetermined() throws {
        let run = try LessonRun.run("lesson-3", ["--k", "5", "--no-plots"])
        defer { run.cleanUp() }
        #expect(run.status == 1)
        #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        #expect(run.stderr.contains("--lambda"))
        #expect(!run.stderr.contains("Backtrace"))
    }

    @Test("bad values for lesson flags are rejected with a one-line reason")
    func badFlags() throws {
        for (lesson, arguments) in [
            ("lesson-2", ["--lambda", "-1"]), ("lesson-3", ["--k", "0"]), ("lesson-3", ["--iterations", "0"]),
            ("lesson-3", ["--lambda", "nan"])
        ] {
            let run = try LessonRun.run(lesson, arguments)
            defer { run.cleanUp() }
            #expect(run.status != 0, "\(lesson) \(arguments)")
            #expect(run.stderr.contains(": error: "), "\(lesson) \(arguments): \(run.stderr)")
        }
    }
}
