import Foundation
import TextOutput

/// A progress bar for work that takes more than a moment.
///
/// On a terminal (and without NO_COLOR or CI set) it redraws one line in place; otherwise it prints a
/// plain line at each quarter, so logs and CI stay readable. It prints nothing under `--quiet`. Runs side by side may
/// update one bar from several threads: its state is behind a lock.
public final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private var finished = 0
    private let title: String
    private let total: Int
    private let interactive: Bool
    private let silent: Bool
    private var lastDraw = Date.distantPast
    private var lastQuarter = -1
    private let started = Date()

    init(title: String, total: Int, quiet: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.title = title
        self.total = max(total, 1)
        silent = quiet
        interactive =
            isatty(STDOUT_FILENO) == 1 && (environment["NO_COLOR"] ?? "").isEmpty && environment["CI"] == nil
            && environment["TERM"] != "dumb"
    }

    /// Reports that `done` of `total` steps are finished; `detail` is shown after the bar (e.g. the current loss).
    public func update(_ done: Int, detail: String = "") {
        guard !silent else { return }
        lock.lock()
        defer { lock.unlock() }
        let fraction = min(max(Double(done) / Double(total), 0), 1)
        if interactive {
            guard Date().timeIntervalSince(lastDraw) > 0.05 || done >= total else { return }
            lastDraw = Date()
            let width = 28, filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            let line = "  \(title) \(bar) \(Int(fraction * 100))% \(detail)"
            FileHandle.standardOutput.write(Data(("\r" + line + "\u{1B}[K").utf8))
        } else {
            let quarter = Int(fraction * 4)
            guard quarter > lastQuarter else { return }
            lastQuarter = quarter
            print("  \(title): \(Int(fraction * 100))% (\(done)/\(total)) \(detail)")
            Interrupts.shared.endIfOutputIsGone()
        }
    }

    /// Reports `steps` more finished steps, one by default (for runs side by side that each count their own; a run that
    /// stops early counts the steps it skips at once).
    public func advance(by steps: Int = 1, detail: String = "") {
        let done = lock.withLock {
            finished += steps
            return finished
        }
        update(done, detail: detail)
    }

    /// Ends the bar with a closing word, such as the time it took.
    public func finish(_ detail: String = "") {
        guard !silent else { return }
        let seconds = Date().timeIntervalSince(started)
        let line = "  \(title): done in \(formatSeconds(seconds)) \(detail)"
        if interactive { FileHandle.standardOutput.write(Data(("\r" + line + "\u{1B}[K\n").utf8)) } else { print(line) }
    }
}

extension Notebook {
    /// A progress bar for `total` steps, shown on the terminal only (never in the transcript).
    public func progress(_ title: String, total: Int) -> ProgressBar {
        ProgressBar(title: title, total: total, quiet: options.quiet)
    }
}
