// Worked solutions of lesson 9's exercises. Try them yourself first, in Lessons/lesson-9/Cells.swift.
import Foundation

/// Lesson 9: two ranking metrics and the BPR update.
public struct Lesson9Solutions: Sendable {
    /// The worked solutions, as a set of cells (`--solutions`).
    public init() {}

    /// The relevant items among the first k, over k.
    public func precisionAtK(_ ranked: [Int], relevant: Set<Int>, k: Int) throws -> Double {
        guard k > 0 else { return 0 }
        var hits = 0
        for item in ranked.prefix(k) where relevant.contains(item) { hits += 1 }
        return Double(hits) / Double(k)
    }

    /// DCG of the first k places over the DCG of the ideal list.
    public func ndcgAtK(_ ranked: [Int], relevant: Set<Int>, k: Int) throws -> Double {
        guard !relevant.isEmpty, k > 0 else { return 0 }
        var dcg = 0.0
        for (index, item) in ranked.prefix(k).enumerated() where relevant.contains(item) {
            dcg += 1 / log2(Double(index + 2))  // position p = index + 1 gains 1 / log₂(p + 1)
        }
        var ideal = 0.0
        for index in 0..<min(k, relevant.count) { ideal += 1 / log2(Double(index + 2)) }
        return dcg / ideal
    }

    /// One step up the gradient of ln σ(x) − λ/2 ‖θ‖², every new value computed from the old ones.
    public func bprStep(
        user: [Double], positive: [Double], negative: [Double], positiveBias: Double, negativeBias: Double,
        learningRate lr: Double, lambda: Double
    ) throws
        -> (user: [Double], positive: [Double], negative: [Double], positiveBias: Double, negativeBias: Double)
    {
        var x = positiveBias - negativeBias
        for f in user.indices { x += user[f] * (positive[f] - negative[f]) }
        let d = 1 / (1 + exp(x))
        let newUser = user.indices.map { f in user[f] + lr * (d * (positive[f] - negative[f]) - lambda * user[f]) }
        let newPositive = user.indices.map { f in positive[f] + lr * (d * user[f] - lambda * positive[f]) }
        let newNegative = user.indices.map { f in negative[f] + lr * (-d * user[f] - lambda * negative[f]) }
        return (newUser, newPositive, newNegative, positiveBias + lr * (d - lambda * positiveBias), negativeBias + lr * (-d - lambda * negativeBias))
    }
}
