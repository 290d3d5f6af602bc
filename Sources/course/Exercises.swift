// The exercise loop: `course watch` checks the cells each time one is saved, `course reset` puts a cell back.

import ArgumentParser
import Exercises
import Foundation
import LessonKit
import TextOutput

/// The package folder the course runs in: the working directory, which must hold the lessons' cells.
func courseRoot() throws -> URL {
    let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    guard FileManager.default.fileExists(atPath: root.appendingPathComponent(Course.cellsFile(1)).path) else {
        throw ExitMessage("there is no \(Course.cellsFile(1)) here: run this from the course's folder (the one with Package.swift)")
    }
    return root
}

/// The exercise with id "5.2", with its lesson's number.
func exercise(_ id: String) throws -> (lesson: Int, info: ExerciseInfo) {
    let lesson = Int(id.split(separator: ".").first ?? "") ?? 0
    guard let info = CourseExercises.list(lesson).first(where: { $0.id == id }) else {
        let all = Course.lessons.flatMap { CourseExercises.list($0.number) }
        if let named = all.first(where: { $0.function == id }) {
            throw ExitMessage("there is no exercise \(id): exercises go by number, and \(id) is \(named.id) (`swift run course reset \(named.id)`)")
        }
        throw ExitMessage("there is no exercise \(id): the exercises are \(all.first?.id ?? "")…\(all.last?.id ?? "") (see `swift run course`)")
    }
    return (lesson, info)
}

struct Reset: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put a cell back to its placeholder (your version is kept in backups/, which the command names).",
        discussion: "Example: `swift run course reset 5.2` empties gradients in Lessons/lesson-5/Cells.swift.")
    @Argument(help: ArgumentHelp("The exercises to reset, as the course numbers them.", valueName: "exercise"))
    var ids: [String]

    func run() throws {
        let root = try courseRoot()
        // Every id is checked before any cell changes: a typo in the second leaves the first as it was.
        let exercises = try ids.map(exercise)
        for (lesson, info) in exercises {
            let id = info.id
            let file = root.appendingPathComponent(Course.cellsFile(lesson))
            let text: String
            do { text = try String(contentsOf: file, encoding: .utf8) } catch {
                throw ExitMessage("cannot read \(Course.cellsFile(lesson)): \(reason(of: error))")
            }
            if CellSource.isPlaceholder(info.function, in: text, placeholder: info.placeholder) {
                print("\(id) \(info.function) is already its placeholder in \(Course.cellsFile(lesson)): nothing changed.")
                continue
            }
            guard let reset = CellSource.resetting(info.function, in: text, to: info.placeholder) else {
                throw ExitMessage("cannot find `func \(info.function)(` with its body in \(Course.cellsFile(lesson)): put it back by hand")
            }
            let backup = try keepBackup(text, lesson: lesson, id: id, root: root)
            try writeAtomically(reset, to: file)
            print("\(id) \(info.function) is back to its placeholder in \(Course.cellsFile(lesson)); your version is kept in \(backup).")
            // The written cells that call it will wait for it again.
            let later = CourseExercises.list(lesson).filter { $0.id != id }
            let bodies = Course.cellBodies(in: reset, functions: later.map(\.function))
            let callers = later.filter { cell in
                guard let body = bodies[cell.function], !body.contains("throw NotDoneYet()") else { return false }
                return body.range(of: #"(^|[^A-Za-z0-9_])"# + info.function + #"\s*\("#, options: .regularExpression) != nil
            }
            if !callers.isEmpty {
                print(
                    "Your \(callers.map { "\($0.function) (\($0.id))" }.joined(separator: " and ")) call\(callers.count == 1 ? "s" : "") \(info.function): "
                        + "\(callers.count == 1 ? "it waits" : "they wait") until \(id) is written again.")
            }
        }
    }

    /// Writes the file as it was to a new file under `backups/` (never over an earlier one) and returns its path.
    func keepBackup(_ text: String, lesson: Int, id: String, root: URL) throws -> String {
        let folder = root.appendingPathComponent("backups")
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let stamp = formatter.string(from: Date())
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for attempt in 1... {
                let name = "lesson-\(lesson)-Cells-before-reset-\(id)-\(stamp)\(attempt == 1 ? "" : "-\(attempt)").swift"
                let url = folder.appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: url.path) { continue }
                try writeAtomically(text, to: url)
                return "backups/" + name
            }
        } catch {
            throw ExitMessage("cannot keep a copy of your cells in backups/ (\(reason(of: error))): nothing was reset")
        }
        fatalError("unreachable")
    }
}

/// Each lesson's exercises as the last check left them: right, written and total, and whether Cells.swift changed since.
struct Progress {
    let root: URL

    /// "2 / 3 / 3" and the mark of a stale record, or "–" for a lesson without cells.
    func summary(_ lesson: Int) -> (right: String, written: String) {
        let cells = CourseExercises.list(lesson)
        guard !cells.isEmpty else { return ("–", "–") }
        let written = Course.writtenCells(lesson, functions: cells.map(\.function), root: root)?.count
        let record = CheckRecord.load(lesson: lesson, root: root)
        let right =
            record.map { "\($0.right) / \(cells.count)" + ($0.isStale(lesson: lesson, root: root) ? " (stale: Cells.swift changed since)" : "") }
            ?? "not checked"
        return (right, written.map { "\($0) / \(cells.count)" } ?? "–")
    }
}

struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check your cells each time you save Cells.swift; show the next exercise, hints on request, your progress.",
        discussion: """
            Leave it running in a terminal beside your editor. Each time a lesson's Cells.swift is saved, it rebuilds that \
            lesson and checks its cells. Type a letter and Enter: h a hint for the exercise shown (again for the next \
            step, the last being the worked solution), n the next exercise, l your progress, c check again, q quit.
            """)
    @Option(help: ArgumentHelp("The lesson to start with (default: the first with an exercise not yet right).", valueName: "n"))
    var lesson: Int?
    @Flag(name: .customLong("no-build"), help: "Do not rebuild before checking (the lessons must be built already).")
    var noBuild = false
    @Option(help: .hidden) var poll: Double = 0.3

    func validate() throws {
        if let lesson, CourseExercises.list(lesson).isEmpty { throw ValidationError("--lesson must be a lesson with exercises, 1...\(Course.lessons.count)") }
    }

    func run() throws {
        let root = try courseRoot()
        let commands = Commands()
        var seen = Course.lessons.map { CheckRecord.fingerprint(of: root.appendingPathComponent(Course.cellsFile($0.number))) }
        var loop = WatchLoop(root: root, build: !noBuild)
        try loop.start(lesson: lesson)
        while true {
            if let line = commands.next() {
                guard let command = line else { say("The input has ended: stopped watching."); return }
                if try !loop.handle(command) { return }
            }
            for (index, lesson) in Course.lessons.enumerated() {
                let now = CheckRecord.fingerprint(of: root.appendingPathComponent(Course.cellsFile(lesson.number)))
                if now != seen[index] {
                    seen[index] = now
                    say("\n\(Course.cellsFile(lesson.number)) changed.")
                    try loop.check(lesson.number)
                }
            }
            usleep(useconds_t(poll * 1_000_000))
        }
    }
}

/// Lines typed on standard input, read on a thread of their own; nil once the input ends.
final class Commands: @unchecked Sendable {
    private var lines = [String?]()
    private let lock = NSLock()

    init() {
        Thread.detachNewThread { [self] in
            // `read` itself, not `readLine`: a child's end (SIGCHLD) interrupts a read, which `readLine` takes for the
            // end of the input.
            var pending = [UInt8](), buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(0, &buffer, buffer.count)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                pending += buffer[0..<count]
                while let newline = pending.firstIndex(of: 10) {
                    push(String(decoding: pending[..<newline], as: UTF8.self))
                    pending.removeSubrange(...newline)
                }
            }
            if !pending.isEmpty { push(String(decoding: pending, as: UTF8.self)) }
            push(nil)
        }
    }

    private func push(_ line: String?) { lock.lock(); lines.append(line); lock.unlock() }

    /// The next line typed (`.some(nil)` when the input has ended), or nil when none is waiting.
    func next() -> String?? {
        lock.lock()
        defer { lock.unlock() }
        if lines.isEmpty { return String??.none }
        return .some(lines.removeFirst())
    }
}

/// What the watch loop knows: each lesson's last outcomes, the exercise shown, and how many hints of it were given.
struct WatchLoop {
    let root: URL
    let build: Bool
    var outcomes = [Int: [CheckOutcome]]()
    var shown: (lesson: Int, info: ExerciseInfo)?
    var hintsGiven = [String: Int]()

    init(root: URL, build: Bool) {
        self.root = root
        self.build = build
    }

    mutating func start(lesson: Int?) throws {
        say(
            """
            Watching the cells of every lesson (\(Course.cellsFile(1)) … \(Course.cellsFile(Course.lessons.count))). Save a cell to check it.
            Type a letter and Enter: h hint · n next exercise · l progress · c check again · q quit.
            """)
        // A lesson's record from an earlier check counts while its Cells.swift is unchanged.
        for info in Course.lessons {
            if let record = CheckRecord.load(lesson: info.number, root: root), !record.isStale(lesson: info.number, root: root) {
                outcomes[info.number] = CourseExercises.list(info.number).map { exercise in
                    let found = record.outcomes[exercise.id]
                    return CheckOutcome(info: exercise, status: found?.status ?? .notDone, message: found?.message ?? "")
                }
            }
        }
        let first =
            lesson ?? Course.lessons.map(\.number).first { n in
                !CourseExercises.list(n).isEmpty && (outcomes[n].map { !$0.allSatisfy { $0.status == .right } } ?? true)
            } ?? 1
        try check(first)
    }

    /// Rebuilds lesson `n` (unless told not to), checks its cells, prints what the check found and the next exercise.
    mutating func check(_ n: Int) throws {
        let begin = Date()
        if build {
            say("Building lesson \(n)…")
            if let failure = try buildLesson(n) {
                say("✗ Lesson \(n) does not build. The compiler says:\n" + failure + "\nFix it and save again.")
                return
            }
        }
        let executable = productsFolder.appendingPathComponent("lesson-\(n)")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw ExitMessage("\(executable.path) is not built: run `swift build` first")
        }
        let run = IsolatedRun.run(
            executable, ["--check", "--check-json"],
            timeLimit: ExerciseChecker.timeLimit * Double(CourseExercises.list(n).count + 1), directory: root)
        guard let list = (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8))) as? [[String: Any]] else {
            say("✗ Lesson \(n)'s check gave no answer: \(run.failure(timeLimit: ExerciseChecker.timeLimit))")
            return
        }
        let found = CourseExercises.list(n).map { info in
            let item = list.first { $0["id"] as? String == info.id }
            return CheckOutcome(
                info: info, status: (item?["status"] as? String).flatMap(CheckOutcome.Status.init(rawValue:)) ?? .wrong,
                message: item?["message"] as? String ?? "", printed: item?["printed"] as? [String] ?? [])
        }
        outcomes[n] = found
        say("Lesson \(n), checked in \(formatSeconds(Date().timeIntervalSince(begin))):\n" + ExerciseChecker.report(found))
        showNext(after: n)
    }

    /// `swift build --product lesson-N`: nil when it builds, otherwise the compiler's errors (the first few).
    func buildLesson(_ n: Int) throws -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift", "build", "--product", "lesson-\(n)"]
        process.currentDirectoryURL = root
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        do { try Interrupts.shared.run(process) } catch { throw ExitMessage("could not run `swift build`: \(error)") }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        Interrupts.shared.finished(process)
        guard process.terminationStatus != 0 else { return nil }
        // The compiler's own lines ("Cells.swift:45:38: error: …"), not the source excerpts it draws under them.
        let errors = text.split(separator: "\n").filter { $0.contains("error:") && !$0.trimmingCharacters(in: .whitespaces).hasPrefix("|") }
            .map { line in line.replacingOccurrences(of: root.path + "/", with: "") }
        let unique = errors.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return (unique.isEmpty ? ["exit status \(process.terminationStatus)"] : Array(unique.prefix(8))).map { "  " + $0 }.joined(separator: "\n")
    }

    /// Shows the exercise to work on: in lesson `n` just checked, the first that is wrong (the one being worked on), else
    /// the first not yet right; then in the lessons after it. A lesson whose cells are all right is congratulated.
    mutating func showNext(after n: Int) {
        let checked = outcomes[n] ?? []
        if !checked.isEmpty, checked.allSatisfy({ $0.status == .right }) { say("\nEvery exercise of lesson \(n) is right. 🎉") }
        if let wrong = checked.first(where: { $0.status == .wrong }) {
            show(n, wrong.info)
            return
        }
        if let next = nextUnfinished(from: n) {
            show(next.lesson, next.info)
        } else {
            say("\nEvery exercise of the course is done and right. 🎉")
            shown = nil
        }
    }

    /// The first exercise not right at its lesson's last check (or not checked), from lesson `n` on, then from the start;
    /// `after` skips the exercises up to and including that one in lesson `n`.
    func nextUnfinished(from n: Int, after: String? = nil) -> (lesson: Int, info: ExerciseInfo)? {
        let numbers = Course.lessons.map(\.number)
        for lesson in numbers.filter({ $0 >= n }) + numbers.filter({ $0 < n }) {
            var list = CourseExercises.list(lesson)
            if lesson == n, let after, let index = list.firstIndex(where: { $0.id == after }) { list = Array(list[(index + 1)...]) }
            let known = outcomes[lesson] ?? []
            if let next = list.first(where: { info in known.first { $0.info.id == info.id }?.status != .right }) { return (lesson, next) }
        }
        return nil
    }

    mutating func show(_ lesson: Int, _ info: ExerciseInfo) {
        shown = (lesson, info)
        let text = (try? String(contentsOf: root.appendingPathComponent(Course.cellsFile(lesson)), encoding: .utf8)) ?? ""
        var lines = ["", "Next: \(info.id) \(info.function) in \(Course.cellsFile(lesson)): \(info.task)."]
        if let worked = CellSource.workedCase(of: info.function, in: text) { lines.append("  Worked by hand: \(worked)") }
        lines.append("  (h for a hint, n for the next exercise)")
        say(lines.joined(separator: "\n"))
    }

    /// Handles one typed command; false to quit.
    mutating func handle(_ command: String) throws -> Bool {
        switch command.trimmingCharacters(in: .whitespaces).lowercased() {
        case "q", "quit", "exit":
            say("Bye: your cells are saved where you wrote them.")
            return false
        case "h", "hint":
            hint()
        case "n", "next":
            // The next exercise not yet right after the one shown (the ones already right are skipped).
            if let shown, let next = nextUnfinished(from: shown.lesson, after: shown.info.id), next.info.id != shown.info.id {
                show(next.lesson, next.info)
            } else {
                say("There is no other exercise left to do.")
            }
        case "l", "list", "progress":
            let progress = Progress(root: root)
            say(
                Table(
                    header: ["#", "lesson", "right", "written"],
                    rows: Course.lessons.map { lesson in
                        let s = progress.summary(lesson.number)
                        return [String(lesson.number), lesson.title, s.right, s.written]
                    }
                ).text)
        case "c", "check":
            try check(shown?.lesson ?? 1)
        case "":
            break
        default:
            say("“\(command)” is not a command here. Type a letter and Enter: h hint · n next exercise · l progress · c check again · q quit")
        }
        return true
    }

    /// The next hint of the exercise shown; after the last, the worked solution.
    mutating func hint() {
        guard let shown else { say("There is no exercise left to hint at."); return }
        let given = hintsGiven[shown.info.id, default: 0]
        let hints = shown.info.hints
        if given < hints.count {
            say(
                "Hint \(given + 1) of \(hints.count) for \(shown.info.id) \(shown.info.function): "
                    + hints[given].replacingOccurrences(of: "\n", with: " ") + (given + 1 == hints.count ? " (h again shows the worked solution)" : ""))
        } else {
            let file = Course.solutionsFile(shown.lesson)
            let text = (try? String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)) ?? ""
            // As it would stand in Cells.swift: without the `public` the Solutions module needs.
            say(
                CellSource.function(shown.info.function, in: text).map {
                    "The worked solution, from \(file):\n" + $0.replacingOccurrences(of: "public func ", with: "func ")
                }
                    ?? "The worked solution is in \(file) (func \(shown.info.function)).")
        }
        hintsGiven[shown.info.id] = given + 1
    }
}
