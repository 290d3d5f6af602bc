#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    @preconcurrency import Darwin
#endif
import Foundation

/// What a program of the course does when it is interrupted (Ctrl-C, `kill`, a closed terminal).
///
/// On SIGINT, SIGTERM or SIGHUP the child processes it registered get the same signal and are waited for
/// (up to five seconds, then killed), the clean-up actions run (temporary folders are removed), and the
/// program then ends by that signal, as it would have without a handler. Nothing keeps running and nothing
/// half-written is left behind. A reader that goes away (`lesson-7 | head -5`) is handled the same way: SIGPIPE
/// is ignored, so the write fails instead of killing the program, and `endIfOutputIsGone()` then ends it by SIGPIPE
/// after the clean-up.
public final class Interrupts: @unchecked Sendable {
    /// The one instance; `install()` must be called before the first signal matters.
    public static let shared = Interrupts()

    private let lock = NSLock()
    private var children = [Int32: (process: Process, gentle: Bool)]()
    private var cleanups = [Int: () -> Void]()
    private var nextToken = 0
    private var sources = [DispatchSourceSignal]()
    private var interrupting = false

    private init() {}

    /// Starts handling SIGINT, SIGTERM and SIGHUP (once; later calls do nothing).
    public func install() {
        lock.lock()
        defer { lock.unlock() }
        guard sources.isEmpty else { return }
        signal(SIGPIPE, SIG_IGN)
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [unowned self] in self.handle(number) }
            source.resume()
            sources.append(source)
        }
    }

    /// Registers `action` to run if the program is interrupted; returns a token for `remove(_:)`.
    @discardableResult
    public func onInterrupt(_ action: @escaping () -> Void) -> Int {
        lock.lock()
        defer { lock.unlock() }
        nextToken += 1
        cleanups[nextToken] = action
        return nextToken
    }

    /// Forgets the clean-up action registered under `token`.
    public func remove(_ token: Int) {
        lock.lock()
        cleanups[token] = nil
        lock.unlock()
    }

    /// Starts `process` and registers it, so that an interrupt is passed on to it; call `finished(_:)` when it has ended.
    ///
    /// A `gentle` child (a lesson started by the runner) gets the same signal and up to five seconds to clean up; any other
    /// (gnuplot, whose half-drawn image is in a folder that is removed anyway) is killed at once: it inherits this
    /// program's ignored signals, so a polite signal would not reach it.
    public func run(_ process: Process, gentle: Bool = true) throws {
        install()
        lock.lock()
        defer { lock.unlock() }
        try process.run()
        children[process.processIdentifier] = (process, gentle)
    }

    /// Forgets a process started with `run(_:)`.
    public func finished(_ process: Process) {
        lock.lock()
        children[process.processIdentifier] = nil
        lock.unlock()
    }

    /// Whether an interrupt is being handled: the work in progress may fail because its files vanish, and must
    /// not then report that as an error of its own or exit with its own status.
    public var isInterrupting: Bool { lock.withLock { interrupting } }

    /// Blocks for good if an interrupt is being handled (the handler ends the program by the signal); returns at once otherwise.
    public func holdIfInterrupted() {
        guard isInterrupting else { return }
        while true { pause() }
    }

    /// Ends the program by SIGPIPE, after the clean-up, if standard output can no longer be written (its reader is
    /// gone); returns at once otherwise. Call it after printing.
    public func endIfOutputIsGone() {
        guard ferror(stdout) != 0 else { return }
        lock.lock()
        let first = !interrupting
        lock.unlock()
        if first { handle(SIGPIPE) } else { holdIfInterrupted() }
    }

    private func handle(_ number: Int32) {
        lock.lock()
        interrupting = true
        let kids = Array(children.values), actions = Array(cleanups.values)
        lock.unlock()
        for kid in kids where kid.process.isRunning { kill(kid.process.processIdentifier, kid.gentle ? number : SIGKILL) }
        let deadline = Date().addingTimeInterval(5)
        for kid in kids.map(\.process) {
            while kid.isRunning && Date() < deadline { usleep(10_000) }
            if kid.isRunning { kill(kid.processIdentifier, SIGKILL) }
        }
        for action in actions { action() }
        fflush(nil)
        // End by the same signal, as if there had been no handler: default action, unblocked in this thread
        // (dispatch's threads block signals), raised here.
        signal(number, SIG_DFL)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, number)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        raise(number)
        _exit(128 + number)  // not reached
    }
}
