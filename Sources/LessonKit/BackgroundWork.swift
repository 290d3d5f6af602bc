// Work a lesson starts early and collects later, on a core its foreground leaves idle.

import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Work that runs on a thread of its own while the lesson goes on, started as early as its inputs exist; `value` waits
/// for it to finish.
///
/// At `.lowest` priority (the default) it takes a core only while the lesson's own work leaves one idle (a section
/// waiting on its slowest run, say) and yields it as soon as the lesson wants it back; such work must not spread over
/// other threads, which would not inherit the low priority. At `.normal` it shares the cores with the lesson's work.
public final class BackgroundWork<Value>: @unchecked Sendable {
    /// How the work's thread competes with the lesson's.
    public enum Priority: Sendable { case lowest, normal }

    private let finished = DispatchSemaphore(value: 0)
    private var outcome: Result<Value, any Error>?
    private let lock = NSLock()
    private var cancelled = false

    public init(priority: Priority = .lowest, _ work: @escaping @Sendable (_ work: BackgroundWork<Value>) throws -> Value) {
        let thread = Thread { [self] in
            if priority == .lowest { lowerThisThreadsPriority() }
            outcome = Result { try work(self) }
            finished.signal()
        }
        thread.start()
    }

    public convenience init(priority: Priority = .lowest, _ work: @escaping @Sendable () throws -> Value) {
        self.init(priority: priority) { _ in try work() }
    }

    /// Asks the work to end early: it reads `isCancelled` where it can stop. Its value is not wanted any more.
    public func cancel() { lock.withLock { cancelled = true } }

    /// Whether `cancel()` was called.
    public var isCancelled: Bool { lock.withLock { cancelled } }

    /// The work's value once it has finished (rethrowing its error).
    public var value: Value {
        get throws {
            finished.wait()
            finished.signal()
            return try outcome!.get()
        }
    }
}

/// The calling thread's priority at its lowest: nice 19 on Linux, where each thread has its own nice value and
/// `setpriority` with id 0 sets the calling thread's.
private func lowerThisThreadsPriority() {
    #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
    #else
        Thread.current.qualityOfService = .background
    #endif
}

/// Jobs a lesson can start before it needs them, run one after another in the given order on one thread at the lowest
/// priority (as `BackgroundWork` at `.lowest`): they take a core only while the lesson leaves one idle. When the lesson
/// needs them, `claim` stops the queue from starting any more and says which it started; the lesson runs the rest itself,
/// on every core, and then collects the started ones with `results`. Cheap jobs first make the most of short idle spells,
/// and leave a short one running when the lesson claims the rest.
public final class BackgroundQueue<Job: Hashable & Sendable, Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var started = Set<Job>()
    private var values = [Job: Value]()
    private var failure: (any Error)?
    private var claimed = false
    private let finished = DispatchSemaphore(value: 0)

    /// Starts the thread that runs `work` on each of `jobs` in turn.
    public init(_ jobs: [Job], _ work: @escaping @Sendable (Job) throws -> Value) {
        let thread = Thread { [self] in
            lowerThisThreadsPriority()
            for job in jobs {
                let go = lock.withLock {
                    guard !claimed, failure == nil else { return false }
                    started.insert(job)
                    return true
                }
                guard go else { break }
                do {
                    let value = try work(job)
                    lock.withLock { values[job] = value }
                } catch {
                    lock.withLock { failure = error }
                }
            }
            finished.signal()
        }
        thread.start()
    }

    /// Stops the queue from starting more jobs; returns those it started (finished or under way).
    public func claim() -> Set<Job> {
        lock.withLock {
            claimed = true
            return started
        }
    }

    /// Waits for the job under way, if any, and returns the value of every job the queue ran (rethrowing the error of a
    /// job that failed). Call it after `claim`.
    public func results() throws -> [Job: Value] {
        finished.wait()
        finished.signal()
        return try lock.withLock {
            if let failure { throw failure }
            return values
        }
    }
}
