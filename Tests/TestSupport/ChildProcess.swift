// The one place the tests start programs: a lesson, `course`, `cf-bench`, gnuplot, python3, `swift build`.
import Foundation
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a program that ended did: how it ended, and what it printed.
public struct ProcessResult {
    /// The exit status, or the number of the signal that ended it (`reason` tells which).
    public let status: Int32
    public let reason: Process.TerminationReason
    public let stdoutData: Data
    public let stderrData: Data
    /// True when it was still running at the time limit and was stopped.
    public let timedOut: Bool

    public var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
    public var stderr: String { String(decoding: stderrData, as: UTF8.self) }
}

/// A program started in the background: its standard output and error are read as they arrive (so a long transcript
/// can never fill a pipe and block it), its standard input can be written to line by line, and it can be waited for,
/// with a time limit, or interrupted.
public final class ChildProcess: @unchecked Sendable {
    /// Where the program's standard input comes from.
    public enum Input {
        /// /dev/null: a read gets end of file at once.
        case nothing
        /// These bytes, then end of file.
        case data(Data)
        /// A pipe that `write(_:)` writes to, until `closeInput()`.
        case pipe
    }

    /// Where a standard output or error goes.
    public enum Output {
        /// Read as it arrives: `stdout`, `stderr`.
        case capture
        /// /dev/null.
        case discard
        /// A pipe nobody reads: its reading end is closed as soon as the program starts, so that its first write
        /// ends it by SIGPIPE (a reader that went away, as `| head` does).
        case closedPipe
        /// Standard error only: into the same pipe as standard output, in the order written.
        case intoStandardOutput
    }

    private let process = Process()
    private let lock = NSLock()
    private var received = (out: Data(), err: Data())
    private let readers = DispatchGroup()
    private var inputPipe: Pipe?
    // Kept for as long as the process object lives, so that the readers' file descriptors stay open.
    private var pipes: [Pipe] = []

    /// Starts `executable` with `arguments`, in `directory` (the tests' own by default), with `environment` (the tests'
    /// own when nil).
    public init(
        _ executable: URL, _ arguments: [String] = [], environment: [String: String]? = nil, in directory: URL? = nil,
        input: Input = .nothing, standardOutput: Output = .capture, standardError: Output = .capture
    ) throws {
        precondition(standardOutput != .intoStandardOutput, "only standard error can go into standard output")
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }

        var closeAfterStart: [FileHandle] = []
        var readFromOut: Pipe?, readFromErr: Pipe?
        let out = Pipe()
        switch standardOutput {
        case .capture, .intoStandardOutput: readFromOut = out; process.standardOutput = out
        case .discard: process.standardOutput = FileHandle.nullDevice
        case .closedPipe: process.standardOutput = out; closeAfterStart.append(out.fileHandleForReading)
        }
        switch standardError {
        case .capture: let err = Pipe(); readFromErr = err; process.standardError = err
        case .discard: process.standardError = FileHandle.nullDevice
        case .closedPipe: let err = Pipe(); process.standardError = err; closeAfterStart.append(err.fileHandleForReading)
        case .intoStandardOutput: process.standardError = process.standardOutput
        }
        var writeAfterStart: Data?
        switch input {
        case .nothing: process.standardInput = FileHandle.nullDevice
        case .data(let bytes): let pipe = Pipe(); process.standardInput = pipe; inputPipe = pipe; writeAfterStart = bytes
        case .pipe: let pipe = Pipe(); process.standardInput = pipe; inputPipe = pipe
        }
        pipes = [out] + [readFromErr, inputPipe].compactMap { $0 }

        try process.run()
        for handle in closeAfterStart { try handle.close() }
        if let readFromOut { startReading(readFromOut) { data in self.lock.withLock { self.received.out.append(data) } } }
        if let readFromErr { startReading(readFromErr) { data in self.lock.withLock { self.received.err.append(data) } } }
        if let writeAfterStart, let inputPipe {
            let handle = inputPipe.fileHandleForWriting
            Thread {
                // A program that ends without reading all its input must not end the tests by SIGPIPE: blocked here, the
                // signal stays pending on this thread, which ends right after, and the write fails with EPIPE instead.
                var blocked = sigset_t()
                sigemptyset(&blocked)
                sigaddset(&blocked, SIGPIPE)
                pthread_sigmask(SIG_BLOCK, &blocked, nil)
                writeAll(writeAfterStart, to: handle.fileDescriptor)
                try? handle.close()
            }.start()
        }
    }

    /// Reads `pipe` to its end on a thread of its own, handing each chunk to `append`.
    private func startReading(_ pipe: Pipe, _ append: @escaping @Sendable (Data) -> Void) {
        let descriptor = pipe.fileHandleForReading.fileDescriptor
        readers.enter()
        Thread { [readers] in
            defer { readers.leave() }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count > 0 {
                    append(Data(buffer[..<count]))
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }.start()
    }

    // MARK: What it printed so far

    public var stdoutData: Data { lock.withLock { received.out } }
    public var stderrData: Data { lock.withLock { received.err } }
    /// Standard output so far (with standard error too, in `.intoStandardOutput`).
    public var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
    public var stderr: String { String(decoding: stderrData, as: UTF8.self) }

    // MARK: Its state

    public var processIdentifier: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }
    /// How it ended (after it ended).
    public var terminationReason: Process.TerminationReason { process.terminationReason }
    /// Its exit status, or the number of the signal that ended it (after it ended).
    public var terminationStatus: Int32 { process.terminationStatus }

    // MARK: Talking to it

    /// Writes `line` and a newline to its standard input (`input: .pipe`).
    public func say(_ line: String) { write(Data((line + "\n").utf8)) }

    /// Writes `data` to its standard input (`input: .pipe`).
    public func write(_ data: Data) {
        guard let inputPipe else { preconditionFailure("started without `input: .pipe`") }
        inputPipe.fileHandleForWriting.write(data)
    }

    /// Closes its standard input: its next read gets end of file.
    public func closeInput() { try? inputPipe?.fileHandleForWriting.close() }

    /// Sends `signal` (SIGINT by default).
    public func signal(_ signal: Int32 = SIGINT) { kill(process.processIdentifier, signal) }

    // MARK: Waiting

    /// Waits up to `seconds` for `condition`, looking every 10 ms; true if it held in time.
    public func wait(seconds: Double, for condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }

    /// Waits up to `seconds` until standard output holds `count` occurrences of `needle`; true when it does.
    public func waitFor(_ needle: String, count: Int = 1, seconds: Double = 30) -> Bool {
        wait(seconds: seconds) { stdout.components(separatedBy: needle).count - 1 >= count }
    }

    /// Sends `signal` and waits up to `seconds` for the program to end; past that, kills it (SIGKILL).
    public func interrupt(_ signal: Int32 = SIGINT, seconds: Double = 20) {
        kill(process.processIdentifier, signal)
        if !wait(seconds: seconds, for: { !process.isRunning }) { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Waits for the program to end and for its output to be read to the end; with a `timeout` in seconds, a program
    /// still running then is stopped (SIGTERM, then SIGKILL 5 s later) and the result says `timedOut`.
    @discardableResult
    public func waitUntilExit(timeout: Double? = nil) -> ProcessResult {
        var timedOut = false
        if let timeout, !wait(seconds: timeout, for: { !process.isRunning }) {
            timedOut = true
            kill(process.processIdentifier, SIGTERM)
            if !wait(seconds: 5, for: { !process.isRunning }) { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        // The pipes end when every process holding them ended: the program, and whatever it started that kept them.
        if timeout != nil { _ = readers.wait(timeout: .now() + 5) } else { readers.wait() }
        let (out, err) = lock.withLock { received }
        return ProcessResult(
            status: process.terminationStatus, reason: process.terminationReason, stdoutData: out,
            stderrData: err, timedOut: timedOut)
    }
}

/// Runs `executable` with `arguments` to its end and returns what it did (see `ChildProcess` for the options):
/// standard input is /dev/null unless `input` says otherwise; standard output and error are captured.
public func runProcess(
    _ executable: URL, _ arguments: [String] = [], environment: [String: String]? = nil, in directory: URL? = nil,
    input: ChildProcess.Input = .nothing, standardOutput: ChildProcess.Output = .capture,
    standardError: ChildProcess.Output = .capture, timeout: Double? = nil
) throws -> ProcessResult {
    try ChildProcess(
        executable, arguments, environment: environment, in: directory, input: input,
        standardOutput: standardOutput, standardError: standardError
    ).waitUntilExit(timeout: timeout)
}

/// Writes all of `data` to `descriptor`, retrying after interrupts; stops at the first error (EPIPE: the reader is gone).
private func writeAll(_ data: Data, to descriptor: Int32) {
    data.withUnsafeBytes { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written > 0 {
                offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}
