/// How long something takes, on the monotonic clock (never `Date`, which jumps when the system clock is set), and what
/// a thread's work costs on the processor clock.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs `body` and returns its result with the seconds it took.
public func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let clock = ContinuousClock()
    var result: T?
    let elapsed = try clock.measure { result = try body() }
    return (result!, seconds(elapsed))
}

/// Runs `body` and returns its result with the processor seconds the calling thread spent on it (`ThreadClock`): its
/// cost on one core, whatever ran beside it.
public func threadTimed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let clock = ThreadClock()
    let result = try body()
    return (result, clock.seconds)
}

/// A duration in seconds.
public func seconds(_ duration: Duration) -> Double {
    let parts = duration.components
    return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
}

/// A running stopwatch: `Stopwatch()` starts it, `seconds` reads it.
public struct Stopwatch: Sendable {
    private let start = ContinuousClock.now
    public init() {}
    /// Seconds since it was started.
    public var seconds: Double { LessonKit.seconds(ContinuousClock.now - start) }
}

/// The processor time the calling thread has used since `ThreadClock()`: what work on one thread costs, whatever else
/// shares the cores with it (its wall time would also count the turns of the others). Read it on the thread that
/// started it.
public struct ThreadClock {
    private let start = ThreadClock.now()
    public init() {}
    /// Processor seconds this thread has used since it was started.
    public var seconds: Double { Self.now() - start }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
