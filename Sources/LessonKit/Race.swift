// Runs that race to a checkpoint, where those clearly behind the leader stop: fewer samples spent on settings that
// have already lost.

import CFCore
import Foundation

/// A checkpoint shared by runs side by side, each scored on the same held-out ratings: every run hands in its squared
/// errors there and waits for the others; then each run whose errors are higher than the leader's by more than the noise
/// (paired, rating by rating: `Comparison.paired`) stops, and the others go on. The leader is the run with the lowest
/// mean squared error (the first in the runs' order on a tie), and it always goes on.
///
/// The decision depends only on the errors handed in, never on which run arrives first, so it is the same on any number
/// of cores. Every run must come to the checkpoint (`arrive`) or leave before it (`withdraw`, when it fails), or the
/// others wait for ever; the runs must therefore all be under way at once (`eachOnItsOwnThread`), not queued.
public final class Race: @unchecked Sendable {
    private let condition = NSCondition()
    private var errors: [[Double]?]
    private var waiting: Int
    private var goesOn: [Bool]?

    /// A race among `runs` runs, numbered 0..<runs.
    public init(runs: Int) {
        errors = Array(repeating: nil, count: runs)
        waiting = runs
    }

    /// Hands in run `index`'s squared errors at the checkpoint and waits for every other run to arrive or withdraw;
    /// returns whether this run goes on.
    public func arrive(_ index: Int, squaredErrors: [Double]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        errors[index] = squaredErrors
        check()
        while goesOn == nil { condition.wait() }
        return goesOn![index]
    }

    /// Run `index` ended before the checkpoint (an error): the others no longer wait for it. Once the run has arrived,
    /// this does nothing.
    public func withdraw(_ index: Int) {
        condition.lock()
        defer { condition.unlock() }
        guard goesOn == nil, errors[index] == nil else { return }
        errors[index] = []
        check()
    }

    /// Counts one more run in; with the last, decides who goes on and wakes every run waiting.
    private func check() {
        waiting -= 1
        guard waiting == 0 else { return }
        goesOn = Self.decide(errors.map { $0 ?? [] })
        condition.broadcast()
    }

    /// Who goes on, given each run's squared errors at the checkpoint (empty for a run that withdrew, which never goes on).
    public static func decide(_ errors: [[Double]]) -> [Bool] {
        let means = errors.map { $0.isEmpty ? Double.infinity : $0.reduce(0, +) / Double($0.count) }
        guard let leader = means.indices.min(by: { (means[$0], $0) < (means[$1], $1) }), means[leader].isFinite else {
            return errors.map { _ in false }
        }
        return errors.indices.map { index in
            index == leader || (!errors[index].isEmpty && Comparison.paired(errors[index], errors[leader]).verdict != .firstHigher)
        }
    }
}

/// Runs `work` on every element at once, each on a thread of its own at normal priority (more threads than cores when
/// there are more elements: the system shares the cores among them), and returns the results in the elements' order.
/// For runs that must all be under way together, such as the runs of a `Race`; otherwise `concurrentMap`, which keeps
/// to one thread per core, is the better choice. The first error, in the elements' order, is rethrown once every call has
/// ended.
public func eachOnItsOwnThread<Element, Result>(_ elements: [Element], _ work: @escaping (Element) throws -> Result) throws -> [Result] {
    // Escaping: each thread keeps its closure until the thread object is gone, after the call returns.
    let shared = Vouched(value: (elements, work))
    let runs = elements.indices.map { index in
        BackgroundWork(priority: .normal) { () throws -> Result in
            let (elements, work) = shared.value
            return try work(elements[index])
        }
    }
    let outcomes = runs.map { run in Swift.Result { try run.value } }
    return try outcomes.map { try $0.get() }
}
