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
