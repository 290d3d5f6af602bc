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
}
