// Lesson 3's result-dependent sentences (Lessons/lesson-3/Readings.swift), each branch driven by numbers made up here.

import CFCore
@testable import lesson_3
import Testing

@Suite("Narrative verdicts: lesson 3")
struct NarrativeVerdictsLesson3 {
    func restart(_ seed: UInt32, _ objective: Double, _ predictions: [[Double]] = [[3, 3], [3, 3]]) -> Restart {
        Restart(seed: seed, objective: objective, predictions: Matrix(predictions))
    }

    @Test("an end more than 25% above the best restart is poor, and the better seed is named")
    func poorEnd() {
        let restarts = [restart(2, 2.57), restart(3, 2.61), restart(4, 17.0), restart(5, 2.57)]
        #expect(isPoorEnd(17.11, restarts: restarts))
        let text = endReading(17.11, seed: 1, restarts: restarts)
        #expect(
            text.hasPrefix(
                "This is a poor end. From four other random starts ALS ends at 2.57 (seed 2), 2.61 (seed 3), 17.00 (seed 4), 2.57 (seed 5), against 17.11 here from seed 1."
            ), "\(text)")
        #expect(text.contains("`--seed 2` shows a better end"))
        #expect(!text.contains("not a poor end"))
    }

    @Test("the lowest end, or one within 25% of the lowest, is not poor")
    func goodEnds() {
        let restarts = [restart(8, 2.60), restart(9, 17.0)]
        #expect(endReading(2.57, seed: 7, restarts: restarts).hasSuffix("this run's 2.57 is as low as the lowest of them, so it is not a poor end."))
        #expect(endReading(3.0, seed: 7, restarts: restarts).hasSuffix("this run's 3.00 is within 25% of the lowest, so it is not a poor end."))
        #expect(!isPoorEnd(3.0, restarts: restarts) && !isPoorEnd(3.25, restarts: [restart(1, 2.6)]) && isPoorEnd(3.26, restarts: [restart(1, 2.6)]))
    }

    @Test("the starts' predictions: the cell they disagree on most, or that they agree")
    func starts() throws {
        // Two listeners, two songs; only (0, 1) and (1, 0) are empty.
        let ratings = try Ratings(userCount: 2, itemCount: 2, ratings: [Rating(user: 0, item: 0, value: 4), Rating(user: 1, item: 1, value: 2)])
        let this = Matrix([[4, 5.0], [1.3, 2]])
        let apart = startsReading(this: this, restarts: [restart(2, 1, [[4, 1.3], [1.4, 2]])], ratings: ratings, listeners: ["ana", "bo"], songs: ["A", "B"])
        #expect(apart.contains("the prediction for ana and B ranges from 1.3 to 5.0"), "\(apart)")
        let same = startsReading(this: this, restarts: [restart(2, 1, [[4, 5.01], [1.31, 2]])], ratings: ratings, listeners: ["ana", "bo"], songs: ["A", "B"])
        #expect(same.hasPrefix("Here all five random starts above (this run's and the four others) end at the same predictions"))
    }
}
