/// How long something takes, on the monotonic clock (never `Date`, which jumps when the system clock is set).

/// Runs `body` and returns its result with the seconds it took.
public func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let clock = ContinuousClock()
    var result: T?
    let elapsed = try clock.measure { result = try body() }
    return (result!, seconds(elapsed))
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
