import Foundation
import TextOutput

/// The outcome of checking one exercise.
public struct CheckOutcome: Sendable, Equatable {
    /// Done and right, done and wrong, or not done yet.
    public enum Status: String, Sendable { case right, wrong, notDone = "not done" }
    /// The exercise.
    public let info: ExerciseInfo
    /// Its status.
    public let status: Status
    /// What the check found: a summary when right, the first difference (and a hint) when wrong.
    public let message: String

    /// The mark printed before the exercise: ✓, ✗ or ·.
    public var mark: String { status == .right ? "✓" : status == .wrong ? "✗" : "·" }
}

/// `--check`: grades every cell of a lesson, each in a process of its own with a time limit, so that a cell that
/// crashes or loops is reported as wrong and the checker itself never crashes.
public enum ExerciseChecker {
    /// Seconds an exercise's check may take before it is stopped and reported as wrong.
    public static let timeLimit: TimeInterval = 30

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

    /// The child's answer, one line on standard output.
    static let marker = "cf-check-outcome\t"

    /// `--check-only ID` (the child): checks one exercise, prints its outcome as one line, exits 0.
    public static func runOne(_ id: String, exercises: [Exercise]) -> Never {
        guard let exercise = exercises.first(where: { $0.info.id == id }) else {
            FileHandle.standardError.write(Data("no exercise \(id) in this lesson\n".utf8))
            exit(64)
        }
        let outcome = checkHere(exercise)
        print(marker + outcome.status.rawValue + "\t" + outcome.message.replacingOccurrences(of: "\n", with: " "))
        fflush(nil)
        exit(0)
    }

    /// Checks every exercise, each in a child process running this same executable with `--check-only ID`.
    public static func checkIsolated(_ exercises: [Exercise], solutions: Bool, timeLimit: TimeInterval = timeLimit) -> [CheckOutcome] {
        let executable = ownExecutable()
        return exercises.map { exercise in
            let arguments = ["--check-only", exercise.info.id] + (solutions ? ["--solutions"] : [])
            let run = IsolatedRun.run(executable, arguments, timeLimit: timeLimit)
            if let line = run.stdout.split(separator: "\n").last(where: { $0.hasPrefix(marker) }) {
                let fields = line.dropFirst(marker.count).split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
                if let status = CheckOutcome.Status(rawValue: String(fields[0])) {
                    return CheckOutcome(info: exercise.info, status: status, message: fields.count > 1 ? String(fields[1]) : "")
                }
            }
            return CheckOutcome(info: exercise.info, status: .wrong, message: run.failure(timeLimit: timeLimit))
        }
    }

    /// `--check`: prints one line per exercise (or JSON with `json`; with `quiet`, only the cells that are wrong) and exits
    /// 0 only when every cell is done and right.
    public static func run(lesson: Int, exercises: [Exercise], solutions: Bool, json: Bool, quiet: Bool = false) -> Never {
        let outcomes = checkIsolated(exercises, solutions: solutions)
        let file = solutions ? Course.solutionsFile(lesson) : Course.cellsFile(lesson)
        if json {
            print(JSONValue.array(outcomes.map { o in
                .object([("id", o.info.id.json), ("function", o.info.function.json), ("task", o.info.task.json),
                         ("status", o.status.rawValue.json), ("message", o.message.json)])
            }).text())
        } else if quiet {
            let wrong = outcomes.filter { $0.status == .wrong }
            if !wrong.isEmpty { print(report(wrong)) }
        } else {
            print("Lesson \(lesson): checking \(solutions ? "the worked solutions" : "your cells") in \(file)\n")
            print(report(outcomes))
            let right = outcomes.filter { $0.status == .right }.count
            print("\n\(right) of \(outcomes.count) done and right."
                  + (right == outcomes.count ? "" : " Write the cells marked ✏️ in \(Course.cellsFile(lesson)), then run `swift run lesson-\(lesson) --check` again."))
        }
        fflush(nil)
        exit(outcomes.allSatisfy { $0.status == .right } ? 0 : 1)
    }

    /// The outcomes as aligned lines: mark, id, function, task, and what the check found.
    public static func report(_ outcomes: [CheckOutcome]) -> String {
        let idWidth = outcomes.map(\.info.id.count).max() ?? 0
        let nameWidth = outcomes.map(\.info.function.count).max() ?? 0
        return outcomes.map { o in
            "\(o.mark) \(o.info.id.padding(toLength: idWidth, withPad: " ", startingAt: 0))  "
                + "\(o.info.function.padding(toLength: nameWidth, withPad: " ", startingAt: 0))  \(o.info.task)\n"
                + String(repeating: " ", count: idWidth + 4) + (o.status == .right ? "" : o.status == .wrong ? "wrong: " : "") + o.message
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

    /// Runs `executable` with `arguments`, stopping it after `timeLimit` seconds.
    public static func run(_ executable: URL, _ arguments: [String], timeLimit: TimeInterval) -> IsolatedRun {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
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
        let ending: Ending = timedOut ? .timedOut
            : process.terminationReason == .uncaughtSignal ? .signalled(process.terminationStatus) : .exited(process.terminationStatus)
        return IsolatedRun(ending: ending, stdout: String(decoding: outBox.data, as: UTF8.self),
                           stderr: String(decoding: errBox.data, as: UTF8.self))
    }

    /// Why the run gave no answer, in one line.
    public func failure(timeLimit: TimeInterval) -> String {
        let fatal = stderr.split(separator: "\n").first { $0.contains("Fatal error") || $0.contains("runtime failure") || $0.contains("error:") }
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "* ")) }
        switch ending {
        case .timedOut:
            return "it did not finish within \(Int(timeLimit)) s and was stopped (an endless loop?)"
        case let .signalled(signal):
            return "it crashed (signal \(signal))" + (fatal.map { ": \(simplified($0))" } ?? "")
                + " (an index outside a matrix or an array is the usual cause)"
        case let .exited(status):
            return "it stopped with exit status \(status) and no answer" + (fatal.map { ": \(simplified($0))" } ?? "")
        case let .couldNotStart(why):
            return "the check could not start: \(why)"
        }
    }

    /// A Swift runtime message without its source-path prefix ("…/Cells.swift:12: Fatal error: Index out of range"
    /// becomes "Fatal error: Index out of range at Cells.swift:12").
    func simplified(_ line: String) -> String {
        guard let range = line.range(of: "Fatal error") else { return line }
        let place = line[..<range.lowerBound].trimmingCharacters(in: CharacterSet(charactersIn: ": "))
        let file = place.split(separator: "/").last.map(String.init) ?? ""
        return String(line[range.lowerBound...]) + (file.isEmpty ? "" : " (at \(file))")
    }
}
