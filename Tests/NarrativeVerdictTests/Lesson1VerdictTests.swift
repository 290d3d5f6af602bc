// Lesson 1's result-dependent sentence: what one score is made of, for tastes and factors a learner may edit.

@testable import lesson_1
import Testing

@Suite("Narrative verdicts: lesson 1")
struct NarrativeVerdictsLesson1 {
    let dimensions = ["sci-fi", "novelty", "action"]

    @Test("every product positive: they agree on every dimension")
    func allPositive() {
        let text = scoreReading(user: "u", movie: "Star Wars", score: 2.142, products: [0.882, 0.54, 0.72], dimensions: dimensions)
        #expect(
            text
                == "Star Wars scores 2.142 for u: every product is positive, so on every dimension the two agree (u likes what the movie has, or dislikes what it lacks)."
        )
    }

    @Test("mixed products that nearly cancel, and mixed products where one side wins")
    func mixed() {
        // |−0.891| + 0.582 + 0.32 = 1.793; the score 0.011 is under a fifth of it: nearly cancel.
        let cancel = scoreReading(user: "u", movie: "Casablanca", score: 0.011, products: [-0.891, 0.582, 0.32], dimensions: dimensions)
        #expect(
            cancel == "Casablanca scores 0.011 for u: novelty (+0.58) and action (+0.32) add to it, sci-fi (-0.89) takes away, and the two nearly cancel out.")
        let wins = scoreReading(user: "u", movie: "M", score: -1.5, products: [-1.0, -0.8, 0.3], dimensions: dimensions)
        #expect(wins == "M scores -1.500 for u: action (+0.30) adds to it, sci-fi (-1.00) and novelty (-0.80) take away, and what takes away wins.")
    }

    @Test("every product negative, or all zero")
    func negativeAndZero() {
        let negative = scoreReading(user: "u", movie: "M", score: -0.6, products: [-0.1, -0.2, -0.3], dimensions: dimensions)
        #expect(negative.hasPrefix("M scores -0.600 for u: every product is negative, so on every dimension the two disagree."))
        #expect(
            scoreReading(user: "u", movie: "M", score: 0, products: [0, 0, 0], dimensions: dimensions).hasSuffix(
                "every product is 0, so nothing speaks for or against it."))
        // One dimension 0, two positive: the agreement is said for those two only.
        let partial = scoreReading(user: "u", movie: "M", score: 0.5, products: [0.2, 0, 0.3], dimensions: dimensions)
        #expect(partial.contains("so on sci-fi (+0.20) and action (+0.30) the two agree"))
    }
}
