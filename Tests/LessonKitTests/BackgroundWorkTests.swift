import Foundation
import LessonKit
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("work started early and collected later")
struct BackgroundWorkTests {
    @Test("the value once finished, read any number of times; an error rethrown at every read")
    func valueAndError() throws {
        let work = BackgroundWork { (1...1000).reduce(0, +) }
        #expect(try work.value == 500_500)
        #expect(try work.value == 500_500)
        struct Failed: Error {}
        let failing = BackgroundWork { () throws -> Int in throw Failed() }
        #expect(throws: Failed.self) { try failing.value }
        #expect(throws: Failed.self) { try failing.value }
    }

    @Test("cancel is seen by the work, which can stop early")
    func cancelled() throws {
        let started = DispatchSemaphore(value: 0)
        let work = BackgroundWork(priority: .normal) { work -> Int in
            started.signal()
            var turns = 0
            while !work.isCancelled {
                turns += 1
                Thread.sleep(forTimeInterval: 0.001)
            }
            return turns
        }
        started.wait()
        #expect(!work.isCancelled)
        work.cancel()
        #expect(work.isCancelled)
        _ = try work.value  // returns: the loop saw the cancel
    }

    #if os(Linux)
        @Test("at the lowest priority the work's own thread runs at nice 19; at normal priority at the caller's nice value")
        func priority() throws {
            let caller = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
            let lowest = BackgroundWork { getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) }
            let normal = BackgroundWork(priority: .normal) { getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) }
            #expect(try lowest.value == 19)
            #expect(try normal.value == caller)
            // The caller's own thread is untouched.
            #expect(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) == caller)
        }
    #endif
}

@Suite("a queue of jobs started early, the rest claimed later")
struct BackgroundQueueTests {
    @Test("claimed at once: what the queue started and what the caller runs together are every job, each once, with its value")
    func claimSplitsTheJobs() throws {
        let gate = DispatchSemaphore(value: 0), underWay = DispatchSemaphore(value: 0)
        // The first job says it has started and waits for the gate, so the claim comes while it is under way and before
        // any other starts, however slowly the lowest-priority thread gets going on a loaded machine.
        let queue = BackgroundQueue(Array(0..<6)) { job -> Int in
            if job == 0 {
                underWay.signal()
                gate.wait()
            }
            return job * job
        }
        underWay.wait()
        let started = queue.claim()
        gate.signal()
        #expect(started == [0])
        let values = try queue.results()
        #expect(values == [0: 0])
        // A second claim changes nothing.
        #expect(queue.claim() == [0])
    }

    @Test("left alone, the queue runs every job in the given order; a job's error is rethrown by results and stops the queue")
    func runsInOrderAndFails() throws {
        let order = Locked([Int]())
        let queue = BackgroundQueue([3, 1, 2]) { job -> String in
            order.update { $0.append(job) }
            return String(job)
        }
        #expect(try queue.results() == [3: "3", 1: "1", 2: "2"])  // waits for the queue to run out of jobs
        #expect(order.value == [3, 1, 2])
        #expect(queue.claim() == [3, 1, 2])
        struct Failed: Error {}
        let failing = BackgroundQueue([1, 2, 3]) { job -> Int in
            if job == 2 { throw Failed() }
            return job
        }
        #expect(throws: Failed.self) { try failing.results() }
        #expect(failing.claim() == [1, 2])
    }
}

/// A value several threads read and change, behind a lock.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func update(_ change: (inout Value) -> Void) { lock.withLock { change(&stored) } }
}

@Suite("runs racing to a checkpoint")
struct RaceTests {
    @Test(
        """
        the decision: the leader (lowest mean squared error, the first on a tie) goes on; a run higher by more than the \
        noise stops; one within the noise goes on; one that withdrew stops; none goes on when all withdrew
        """)
    func decide() {
        // 400 ratings: the leader's squared errors alternate 0.5 and 0.7 (mean 0.6).
        let leader = (0..<400).map { $0 % 2 == 0 ? 0.5 : 0.7 }
        // `far` is 0.1 higher on every rating; `near` 0.00005 higher on average, swinging ±0.01 from rating to rating.
        let far = leader.map { $0 + 0.1 }, near = leader.enumerated().map { $1 + ($0 % 4 < 2 ? 0.01 : -0.0099) }
        #expect(Race.decide([far, leader, near, []]) == [false, true, true, false])
        // Equal errors: the first is the leader, the second ties with it and goes on too.
        #expect(Race.decide([leader, leader]) == [true, true])
        #expect(Race.decide([[], []]) == [false, false])
    }

    @Test("runs on their own threads meet at the checkpoint whatever their speed: the slow leader holds the others until it arrives")
    func meet() throws {
        let race = Race(runs: 3)
        let leader = (0..<200).map { Double($0 % 3) }
        let outcomes = try eachOnItsOwnThread([0.3, 0.0, 0.1]) { delay -> Bool in
            Thread.sleep(forTimeInterval: delay)
            switch delay {
            case 0.3: return race.arrive(0, squaredErrors: leader)
            case 0.0: return race.arrive(1, squaredErrors: leader.map { $0 + 1 })
            default:
                race.withdraw(2)
                race.withdraw(2)  // twice: no effect
                return false
            }
        }
        #expect(outcomes == [true, false, false])
    }

    @Test("eachOnItsOwnThread: the results in the elements' order, every element under way at once; the first error in order rethrown")
    func ownThreads() throws {
        // Four runs that each wait for all four to have started: they can only finish if all run at once.
        let started = Locked(0)
        let results = try eachOnItsOwnThread([4, 3, 2, 1]) { n -> Int in
            started.update { $0 += 1 }
            while started.value < 4 { Thread.sleep(forTimeInterval: 0.001) }
            return n * 10
        }
        #expect(results == [40, 30, 20, 10])
        struct Failed: Error, Equatable { let n: Int }
        #expect(throws: Failed(n: 2)) {
            try eachOnItsOwnThread([1, 2, 3]) { n -> Int in
                if n >= 2 { throw Failed(n: n) }
                return n
            }
        }
    }
}

@Suite("a thread's processor clock")
struct ThreadClockTests {
    @Test("counts the thread's own work and not its sleep: 0.3 s asleep adds under 0.05 s; 0.2 s of a busy loop counts, up to its wall time")
    func ownWorkOnly() {
        let asleep = ThreadClock()
        Thread.sleep(forTimeInterval: 0.3)
        #expect(asleep.seconds < 0.05)
        let busy = ThreadClock(), wall = Stopwatch()
        var sum = 0.0
        while wall.seconds < 0.2 { sum += sin(sum + 1) }
        #expect(sum.isFinite)
        // At least a tenth of the wall time even when the test shares a loaded machine, and never more than it.
        #expect(busy.seconds > 0.02 && busy.seconds <= wall.seconds + 0.01)
    }

    @Test("threadTimed returns the body's value with the thread's processor time: a 0.3 s sleep costs under 0.05 s")
    func threadTimedCountsWork() {
        let (value, asleep) = threadTimed { () -> Int in
            Thread.sleep(forTimeInterval: 0.3)
            return 42
        }
        #expect(value == 42 && asleep >= 0 && asleep < 0.05)
        let wall = Stopwatch()
        let (sum, busy) = threadTimed { () -> Double in
            var sum = 0.0
            while wall.seconds < 0.2 { sum += sin(sum + 1) }
            return sum
        }
        #expect(sum.isFinite && busy > 0.02 && busy <= wall.seconds + 0.01)
    }
}
