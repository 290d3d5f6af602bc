import Foundation
import LessonKit
import Testing

@Suite("a grid search and its trials")
struct GridSearchTests {
    @Test("every value scored in order, the first of equal best scores chosen, the trials on one line and in JSON")
    func trials() {
        var tried = [Int]()
        let search = GridSearch([10, 20, 50, 100]) { (n: Int) -> Double in
            tried.append(n)
            return [10: 0.25, 20: 0.5, 50: 0.5, 100: 0.125][n]!
        }
        #expect(tried == [10, 20, 50, 100])
        #expect(search.scores == [0.25, 0.5, 0.5, 0.125])
        #expect(search.bestIndex == 1 && search.best == 20)
        #expect(search.summary { "n \($0)" } == "n 10: 0.2500   n 20: 0.5000 ✓   n 50: 0.5000   n 100: 0.1250")
        #expect(search.summary(digits: 3) { "n \($0)" } == "n 10: 0.250   n 20: 0.500 ✓   n 50: 0.500   n 100: 0.125")
        #expect(search.json { String($0) } == .object([("10", .number(0.25)), ("20", .number(0.5)), ("50", .number(0.5)), ("100", .number(0.125))]))
    }

    @Test("a score that throws ends the search with its error")
    func throwing() {
        struct Failed: Error {}
        #expect(throws: Failed.self) {
            _ = try GridSearch([1, 2]) { (n: Int) -> Double in
                if n == 2 { throw Failed() }; return 1
            }
        }
    }

    @Test("concurrentMap keeps the elements' order, reports each one finished once, and rethrows an error")
    func concurrentMapInOrder() throws {
        var reported = [Int]()
        let squares = try concurrentMap(
            Array(0..<50),
            done: { finished, element, result in
                reported.append(finished)
                #expect(result == element * element)
            }
        ) { x -> Int in
            usleep(UInt32(1000 * (x % 3)))
            return x * x
        }
        #expect(squares == (0..<50).map { $0 * $0 })
        #expect(reported == Array(1...50), "one call per element, counted in turn")
        struct Odd: Error {}
        #expect(throws: Odd.self) {
            _ = try concurrentMap([1, 2, 3]) { x -> Int in
                if x == 2 { throw Odd() }; return x
            }
        }
    }

    @Test("concurrentMap with a cost starts the costliest elements first (ties in order) and still returns the elements' order")
    func concurrentMapLongestFirst() throws {
        let costs = [1.0, 5, 3, 5, 2, 4]
        let lock = NSLock()
        var started = [Int]()
        let results = try concurrentMap(Array(costs.indices), cost: { costs[$0] }) { index -> Int in
            lock.withLock { started.append(index) }
            usleep(20_000)  // long enough that no element is handed out before the ones ahead of it have started
            return 10 * index
        }
        #expect(results == costs.indices.map { 10 * $0 })
        // Cost 5 (elements 1 and 3, in that order), 4, 3, 2, 1: on one core exactly this order; on several, started in it.
        let expected = [1, 3, 5, 2, 4, 0], cores = ProcessInfo.processInfo.activeProcessorCount
        #expect(Set(started.prefix(min(cores, 2))) == Set(expected.prefix(min(cores, 2))), "started \(started)")
        if cores == 1 { #expect(started == expected) }
    }
}
