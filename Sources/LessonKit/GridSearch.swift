import Foundation
import TextOutput

/// Steps of work counted on one progress bar, however many loops they come from: each `step` moves the bar on by
/// one and shows what was just done.
public final class ProgressSteps {
    private let bar: ProgressBar
    /// Steps done so far.
    public private(set) var done = 0

    /// Counts steps on `bar`.
    public init(_ bar: ProgressBar) { self.bar = bar }

    /// One more step is done; `detail` says which.
    public func step(_ detail: String) {
        done += 1
        bar.update(done, detail: detail)
    }

    /// Ends the bar.
    public func finish(_ detail: String = "") { bar.finish(detail) }
}

extension Notebook {
    /// A progress bar for `total` steps, counted one `step` at a time (shown on the terminal only).
    public func progressSteps(_ title: String, total: Int) -> ProgressSteps {
        ProgressSteps(progress(title, total: total))
    }
}

/// A grid search: every value of a setting tried in turn, each one scored (higher is better), and the trials kept
/// for the transcript and results.json.
public struct GridSearch<Value> {
    /// The values tried, in the order given.
    public let values: [Value]
    /// Each value's score, in the same order.
    public let scores: [Double]
    /// The index of the best score (the first of equal best scores).
    public let bestIndex: Int

    /// Scores every value in order, taking a step on `progress` after each, described by `detail`.
    public init(
        _ values: [Value], progress: ProgressSteps? = nil, detail: (Value) -> String = { _ in "" },
        score: (Value) throws -> Double
    ) rethrows {
        var scores = [Double]()
        for value in values {
            scores.append(try score(value))
            progress?.step(detail(value))
        }
        self.values = values
        self.scores = scores
        bestIndex = scores.indices.max { scores[$0] < scores[$1] } ?? 0
    }

    /// The value with the best score.
    public var best: Value { values[bestIndex] }

    /// The trials on one line: `label: score` for each value, the chosen one marked ✓, three spaces apart.
    public func summary(digits: Int = 4, _ label: (Value) -> String) -> String {
        values.indices.map { index in
            "\(label(values[index])): \(formatFixed(scores[index], digits: digits))\(index == bestIndex ? " ✓" : "")"
        }.joined(separator: "   ")
    }

    /// The trials for results.json: each score under its value's `key`, in the order tried.
    public func json(_ key: (Value) -> String) -> JSONValue {
        .object(zip(values, scores).map { (key($0), $1.json) })
    }
}

/// What `concurrentMap` shares between its threads, behind its lock.
private final class ConcurrentResults<Result>: @unchecked Sendable {
    var results: [Result?]
    var finished = 0
    var error: (any Error)?
    let lock = NSLock()
    init(_ count: Int) { results = [Result?](repeating: nil, count: count) }
}

/// A value handed to other threads whose safety its user vouches for (the work and elements of `concurrentMap` and
/// `eachOnItsOwnThread`, which the calls only read).
struct Vouched<Value>: @unchecked Sendable { let value: Value }

/// Runs `work` on every element, as many at a time as the machine has cores, and returns the results in the elements'
/// order. Each call must depend only on its element (its own seed, its own starting point) and only read what it shares,
/// so the results are the same on one core or many. `done` is called, one call at a time, as each element finishes,
/// with the number finished. The first error thrown is rethrown once every call has ended.
///
/// With `cost`, the elements start in order of decreasing cost (ties in the given order), so that the longest runs do
/// not start last and leave one core working alone at the end; the results are still in the elements' order.
public func concurrentMap<Element, Result>(
    _ elements: [Element], cost: ((Element) -> Double)? = nil,
    done: ((_ finished: Int, _ element: Element, _ result: Result) -> Void)? = nil,
    _ work: (Element) throws -> Result
) throws -> [Result] {
    let order = cost.map { cost in elements.indices.sorted { (cost(elements[$0]), $1) > (cost(elements[$1]), $0) } } ?? Array(elements.indices)
    return try withoutActuallyEscaping(work) { work in
        let shared = ConcurrentResults<Result>(elements.count)
        let vouched = Vouched(value: (elements: elements, work: work, done: done))
        DispatchQueue.concurrentPerform(iterations: elements.count) { position in
            let (elements, work, done) = vouched.value
            let index = order[position]
            do {
                let result = try work(elements[index])
                shared.lock.withLock {
                    shared.results[index] = result
                    shared.finished += 1
                    done?(shared.finished, elements[index], result)
                }
            } catch {
                shared.lock.withLock { if shared.error == nil { shared.error = error } }
            }
        }
        if let error = shared.error { throw error }
        return shared.results.map { $0! }
    }
}
