import Foundation
import TextOutput

/// The outcome of checking one exercise.
public struct CheckOutcome: Sendable, Equatable {
    /// Done and right, done and wrong, not done yet, or waiting for an earlier cell that it calls.
    public enum Status: String, Sendable { case right, wrong, notDone = "not done", waiting }
    /// The exercise.
    public let info: ExerciseInfo
    /// Its status.
    public var status: Status
    /// What the check found: a summary when right, the first difference (and a hint) when wrong; it may run over
    /// several lines (the failing case, a table of gradients).
    public var message: String
    /// What the cell itself printed while it was checked.
    public var printed: [String]

    public init(info: ExerciseInfo, status: Status, message: String, printed: [String] = []) {
        self.info = info
        self.status = status
        self.message = message
        self.printed = printed
    }

    /// The mark printed before the exercise: ✓, ✗, · (not done) or … (waiting for another cell).
    public var mark: String { Self.mark(status) }

    /// The mark of a status.
    public static func mark(_ status: Status) -> String {
        switch status {
        case .right: "✓"
        case .wrong: "✗"
        case .notDone: "·"
        case .waiting: "…"
        }
    }
}

/// `--check`: grades every cell of a lesson, each in a process of its own with a time limit, so that a cell that
/// crashes or loops is reported as wrong, with the runtime's message and the line of `Cells.swift` where it stopped,
/// and the checker itself never crashes.
public enum ExerciseChecker {
    /// Seconds an exercise's check may take before it is stopped and reported as wrong.
    public static let timeLimit: TimeInterval = 30
    /// Lines of a cell's own output shown under its exercise.
    public static let printedLines = 12

    /// Runs one exercise's check in this process and describes the outcome.
    public static func checkHere(_ exercise: Exercise) -> CheckOutcome {
        do {
            return CheckOutcome(info: exercise.info, status: .right, message: try exercise.check())
        } catch is NotDoneYet {
            return CheckOutcome(info: exercise.info, status: .notDone, message: "not done yet")
        } catch {
            return CheckOutcome(info: exercise.info, status: .wrong, message: "\(error)")
        }
    }

    /// The child's answer, one line on standard output after whatever the cell printed.
    static let marker = "cf-check-outcome\t"

    /// `--check-only ID` (the child): checks one exercise, prints its outcome as one line, exits 0.
    public static func runOne(_ id: String, exercises: [Exercise]) -> Never {
        guard let exercise = exercises.first(where: { $0.info.id == id }) else {
            FileHandle.standardError.write(Data("no exercise \(id) in this lesson\n".utf8))
            exit(64)
        }
        // Line by line, so that what the cell printed reaches the checker even when the cell then crashes.
        flushStandardOutputByLine()
        CaseAnnouncer.enable()
        let outcome = checkHere(exercise)
        // The object's text without its line breaks (those inside the strings are escaped): one line.
        let answer = JSONValue.object([("status", outcome.status.rawValue.json), ("message", outcome.message.json)]).text()
        print(marker + answer.replacingOccurrences(of: "\n", with: ""))
        fflush(nil)
        exit(0)
    }

    /// The Swift runtime's crash report, asked of the child: the crashed thread's frames with file and line, no
    /// registers, so that a crash can be placed in `Cells.swift`.
    static let backtraceSettings = "enable=yes,interactive=no,color=no,registers=none,images=none,threads=crashed,limit=64,top=0"

    /// Checks every exercise, each in a child process running this same executable with `--check-only ID`; `cells` is
    /// the file the cells were written in (for placing crashes).
    public static func checkIsolated(
        _ exercises: [Exercise], solutions: Bool, cellsFile: String = "Cells.swift",
        timeLimit: TimeInterval = timeLimit
    ) -> [CheckOutcome] {
        let executable = ownExecutable()
        return exercises.map { exercise in
            let arguments = ["--check-only", exercise.info.id] + (solutions ? ["--solutions"] : [])
            let run = IsolatedRun.run(executable, arguments, timeLimit: timeLimit, environment: ["SWIFT_BACKTRACE": backtraceSettings])
            return outcome(of: run, exercise: exercise.info, cellsFile: cellsFile, timeLimit: timeLimit)
        }
    }

    /// The outcome that a child's run reports: its answer line, or why it gave none; with what the cell printed.
    public static func outcome(
        of run: IsolatedRun, exercise: ExerciseInfo, cellsFile: String = "Cells.swift",
        timeLimit: TimeInterval = timeLimit
    ) -> CheckOutcome {
        var lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        // The last case announced before the end: where a crash happened.
        let lastCase = lines.last { $0.hasPrefix(CaseAnnouncer.marker) }
            .flatMap { (try? JSONSerialization.jsonObject(with: Data($0.dropFirst(CaseAnnouncer.marker.count).utf8))) as? [String: String] }
        lines.removeAll { $0.hasPrefix(CaseAnnouncer.marker) }
        let answer = lines.lastIndex { $0.hasPrefix(marker) }
        let printed = lines.enumerated().filter { $0.offset != answer }.map(\.element)
        if let answer,
            let object = (try? JSONSerialization.jsonObject(with: Data(lines[answer].dropFirst(marker.count).utf8))) as? [String: String],
            let status = object["status"].flatMap(CheckOutcome.Status.init(rawValue:))
        {
            return CheckOutcome(info: exercise, status: status, message: object["message"] ?? "", printed: printed)
        }
        let failure = run.failure(timeLimit: timeLimit, cellsFile: cellsFile)
        let message = lastCase.map { "\($0["place"] ?? ""): " + failure + ($0["shown"] ?? "") } ?? failure
        return CheckOutcome(info: exercise, status: .wrong, message: message, printed: printed)
    }

    /// Marks as waiting each cell that is not right and calls an earlier cell that is not right either: "fix 5.2
    /// first" says more than a wrong answer that the called cell caused. `bodies` holds each written cell's source,
    /// by function name (`Course.cellBodies`).
    public static func waitingForCalledCells(_ outcomes: [CheckOutcome], bodies: [String: String]) -> [CheckOutcome] {
        var result = outcomes
        for (index, outcome) in outcomes.enumerated() where outcome.status != .right {
            guard let body = bodies[outcome.info.function] else { continue }
            let called = outcomes[..<index].filter { earlier in
                earlier.status != .right
                    && body.range(
                        of: #"(^|[^A-Za-z0-9_])"# + NSRegularExpression.escapedPattern(for: earlier.info.function) + #"\s*\("#,
                        options: .regularExpression) != nil
            }
            guard let first = called.first else { continue }
            let state = first.status == .notDone ? "not written yet" : "not right yet"
            result[index].status = .waiting
            result[index].message =
                "your \(outcome.info.function) calls \(first.info.function), which is \(state): "
                + "\(first.status == .notDone ? "write" : "fix") \(first.info.id) first, then check \(outcome.info.id) again"
        }
        return result
    }

    /// `--check`: prints one line per exercise (or JSON with `json`; with `quiet`, only the cells that are wrong) and exits
    /// 0 only when every cell is done and right. The outcomes are also kept (`CheckRecord`) for `course` and the pages.
    public static func run(lesson: Int, exercises: [Exercise], solutions: Bool, json: Bool, quiet: Bool = false) -> Never {
        let file = solutions ? Course.solutionsFile(lesson) : Course.cellsFile(lesson)
        let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        // Taken now, before grading: a save during the check must not be taken for what was checked.
        let checked = CheckRecord.fingerprint(of: root.appendingPathComponent(Course.cellsFile(lesson)))
        var outcomes = checkIsolated(exercises, solutions: solutions, cellsFile: (file as NSString).lastPathComponent)
        if !solutions, let bodies = Course.cellBodies(lesson, functions: exercises.map(\.info.function), root: root) {
            outcomes = waitingForCalledCells(outcomes, bodies: bodies.filter { !$0.value.contains("throw NotDoneYet()") })
        }
        if !solutions { CheckRecord.save(outcomes, lesson: lesson, root: root, fingerprint: checked) }
        if json {
            print(
                JSONValue.array(
                    outcomes.map { o in
                        .object([
                            ("id", o.info.id.json), ("function", o.info.function.json), ("task", o.info.task.json),
                            ("status", o.status.rawValue.json), ("message", o.message.json),
                            ("printed", .array(o.printed.map(\.json)))
                        ])
                    }
                ).text())
        } else if quiet {
            let wrong = outcomes.filter { $0.status == .wrong }
            if !wrong.isEmpty { print(report(wrong)) }
        } else {
            print("Lesson \(lesson): checking \(solutions ? "the worked solutions" : "your cells") in \(file)\n")
            print(report(outcomes))
            let right = outcomes.filter { $0.status == .right }.count
            print(
                "\n\(right) of \(outcomes.count) done and right."
                    + (right == outcomes.count
                        ? ""
                        : " Write the cells marked ✏️ in \(Course.cellsFile(lesson)), then run `swift run lesson-\(lesson) --check` again"
                            + " (or keep `swift run course watch` running: it checks on every save)."))
        }
        fflush(nil)
        exit(outcomes.allSatisfy { $0.status == .right } ? 0 : 1)
    }

    /// The outcomes as aligned lines: mark, id, function, task, then what the check found and what the cell printed,
    /// indented under it.
    public static func report(_ outcomes: [CheckOutcome]) -> String {
        let idWidth = outcomes.map(\.info.id.count).max() ?? 0
        let nameWidth = outcomes.map(\.info.function.count).max() ?? 0
        let indent = String(repeating: " ", count: idWidth + 4)
        return outcomes.map { o in
            let found = (o.status == .wrong ? "wrong: " : o.status == .waiting ? "waiting: " : "") + o.message
            var lines = [
                "\(o.mark) \(o.info.id.padding(toLength: idWidth, withPad: " ", startingAt: 0))  "
                    + "\(o.info.function.padding(toLength: nameWidth, withPad: " ", startingAt: 0))  \(o.info.task)"
            ]
            lines += found.split(separator: "\n", omittingEmptySubsequences: false).map { indent + $0 }
            if !o.printed.isEmpty {
                lines.append(indent + "your \(o.info.function) printed:")
                lines += o.printed.prefix(printedLines).map { indent + "  │ " + $0 }
                if o.printed.count > printedLines { lines.append(indent + "  │ … and \(o.printed.count - printedLines) more lines") }
            }
            return lines.joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// This executable's path.
    static func ownExecutable() -> URL {
        let proc = URL(fileURLWithPath: "/proc/self/exe")
        if FileManager.default.fileExists(atPath: proc.path) { return proc.resolvingSymlinksInPath() }
        return Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
    }
}

/// A program run in a child process with a time limit, its output collected.
public struct IsolatedRun: Sendable {
    /// How it ended.
    public enum Ending: Sendable, Equatable { case exited(Int32), signalled(Int32), timedOut, couldNotStart(String) }
    /// How the program ended.
    public let ending: Ending
    /// What it printed.
    public let stdout: String, stderr: String

    /// A run that ended as `ending` after printing `stdout` and `stderr`.
    public init(ending: Ending, stdout: String, stderr: String) {
        self.ending = ending
        self.stdout = stdout
        self.stderr = stderr
    }

    /// Runs `executable` with `arguments`, stopping it after `timeLimit` seconds.
    public static func run(
        _ executable: URL, _ arguments: [String], timeLimit: TimeInterval,
        environment extra: [String: String] = [:], directory: URL? = nil
    ) -> IsolatedRun {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment.merge(extra) { $1 }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try Interrupts.shared.run(process) } catch { return IsolatedRun(ending: .couldNotStart("\(error)"), stdout: "", stderr: "") }
        defer { Interrupts.shared.finished(process) }
        final class Box: @unchecked Sendable { var data = Data() }
        let outBox = Box(), errBox = Box(), group = DispatchGroup()
        for (pipe, box) in [(out, outBox), (err, errBox)] {
            DispatchQueue.global().async(group: group) { box.data = pipe.fileHandleForReading.readDataToEndOfFile() }
        }
        let deadline = Date().addingTimeInterval(timeLimit)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                timedOut = true
                kill(process.processIdentifier, SIGKILL)
                break
            }
            usleep(5_000)
        }
        process.waitUntilExit()
        group.wait()
        let ending: Ending =
            timedOut
            ? .timedOut
            : process.terminationReason == .uncaughtSignal ? .signalled(process.terminationStatus) : .exited(process.terminationStatus)
        return IsolatedRun(
            ending: ending, stdout: String(decoding: outBox.data, as: UTF8.self),
            stderr: String(decoding: errBox.data, as: UTF8.self))
    }

    /// Why the run gave no answer: the runtime's own message, and where in `cellsFile` the program was when it
    /// stopped (from the Swift runtime's backtrace, when there is one). A cause is guessed only when nothing better is
    /// known.
    public func failure(timeLimit: TimeInterval, cellsFile: String = "Cells.swift") -> String {
        let crash = CrashReport(stderr, cellsFile: cellsFile)
        let place = crash.place.map { " at \($0)" } ?? ""
        switch ending {
        case .timedOut:
            return "it did not finish within \(Int(timeLimit)) s and was stopped (an endless loop?)"
        case let .signalled(signal):
            if let message = crash.message { return "it crashed: \(message)\(place)" }
            return "it crashed (signal \(signal))\(place) (an index outside a matrix or an array is the usual cause)"
        case let .exited(status):
            return "it stopped with exit status \(status) and no answer" + (crash.message.map { ": \($0)" } ?? "") + place
        case let .couldNotStart(why):
            return "the check could not start: \(why)"
        }
    }
}

/// What a crashed Swift program left on its standard error: the runtime's message and, from the backtrace, the first
/// frame in a given source file.
public struct CrashReport: Sendable {
    /// The runtime's message: "Fatal error: cannot multiply 3×4 by 6×3", "arithmetic overflow", "an index outside an
    /// array", or nil.
    public let message: String?
    /// "Cells.swift:20 (in scoreMatrix)": the first frame of the backtrace in the file, or nil.
    public let place: String?

    public init(_ stderr: String, cellsFile: String) {
        let lines = stderr.split(separator: "\n").map(String.init)
        // "…/Matrix.swift:94: Fatal error: cannot multiply 3×4 by 6×3" (a fatalError, a precondition in a debug build).
        let fatal = lines.first { $0.contains("Fatal error: ") }.map { line -> String in
            String(line[line.range(of: "Fatal error: ")!.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
        // Frames: "  1 [ra]  0x0000… specialized YourCells.score(tastes:factors:) + 90 in lesson-1 at /…/Cells.swift:20:22"
        let frames = lines.filter { $0.range(of: #"^\s*\d+ .*0x[0-9a-f]+ .* at \S+"#, options: .regularExpression) != nil }
        let runtime =
            lines.first { $0.contains("*** Swift runtime failure: ") }.map {
                $0.replacingOccurrences(of: "*** Swift runtime failure: ", with: "").replacingOccurrences(of: " ***", with: "")
                    .trimmingCharacters(in: .whitespaces)
            }
            ?? frames.first.flatMap { frame -> String? in
                if frame.contains("Swift runtime failure: ") {
                    return frame.components(separatedBy: "Swift runtime failure: ").last?.components(separatedBy: " in ").first
                }
                if frame.contains("Array.subscript") || frame.contains("ContiguousArray.subscript") { return "an index outside an array" }
                if frame.contains("Range.init") { return "a range whose lower bound is above its upper bound" }
                return nil
            }
        message = fatal.map { $0.isEmpty ? "a fatal error" : $0 } ?? runtime
        place =
            frames.lazy.compactMap { frame -> String? in
                guard let at = frame.range(of: " at ", options: .backwards) else { return nil }
                let location = frame[at.upperBound...].split(separator: ":")
                guard location.count >= 2, location[0].hasSuffix("/" + cellsFile) || location[0] == cellsFile else { return nil }
                return "\(cellsFile):\(location[1])" + (Self.function(frame).map { " (in \($0))" } ?? "")
            }.first
    }

    /// The function of a backtrace frame, without its type, arguments and "specialized": "score".
    static func function(_ frame: String) -> String? {
        guard let address = frame.range(of: #"0x[0-9a-f]+ "#, options: .regularExpression) else { return nil }
        var text = frame[address.upperBound...]
        for end in [" + ", " in "] { if let r = text.range(of: end) { text = text[..<r.lowerBound] } }
        if text.hasPrefix("specialized ") { text = text.dropFirst("specialized ".count) }
        let name = text.prefix { $0 != "(" }.split(separator: ".").last.map(String.init)
        return name.flatMap { $0.isEmpty || $0.contains(" ") ? nil : $0 }
    }
}
