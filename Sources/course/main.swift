// course: the whole course in one command.
//
//     swift run course                 the lessons, and whether their output is there and up to date
//     swift run course run             run every lesson in order, then write output/index.html
//     swift run course watch           check your cells each time you save them; hints on request
//     swift run course reset 5.2       put one cell back to its placeholder (your version kept in backups/)
//     swift run course doctor          check the set-up, one line per thing to fix
//     swift run course clean           remove what the lessons wrote

import ArgumentParser
import CFCore
import Exercises
import Figures
import Foundation
import TextOutput
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import LessonKit
import MovieLens

struct CourseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "course",
        abstract: "Runs the cf-lessons course: lists, runs and checks the lessons, and builds the notebook pages.",
        subcommands: [List.self, Run.self, Check.self, Watch.self, Reset.self, Doctor.self, Clean.self, ReadmeTable.self],
        defaultSubcommand: List.self)
}

/// Options shared by the subcommands.
struct Place: ParsableArguments {
    @Option(help: ArgumentHelp("The course's output folder.", valueName: "dir"))
    var output: String = "output"

    var root: URL { URL(fileURLWithPath: output).standardizedFileURL }
    func folder(_ lesson: LessonInfo) -> URL { root.appendingPathComponent(lesson.executable) }
    /// The contents page the course writes in the output folder.
    var index: URL { root.appendingPathComponent("index.html") }
    /// The contact sheet: every figure of the course on one page.
    var figures: URL { root.appendingPathComponent("figures.html") }

    func validate() throws {
        guard !output.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("--output needs a folder name (it is empty)")
        }
    }

    /// Why a page the course writes in the output folder (the contents page, the contact sheet) may not be written or
    /// removed, or nil.
    func whyNotOurs(_ page: URL) -> String? {
        guard FileManager.default.fileExists(atPath: page.path) else { return nil }
        if OutputMark.isUnchanged(page.lastPathComponent, in: root, mark: OutputMark.read(in: root)) { return nil }
        return "\(output)/\(page.lastPathComponent) was not written by the course, or was changed since"
    }
}

/// The folder holding the built executables (the lessons sit next to `course`).
let productsFolder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()

/// Whether the lesson's last complete run (its results.json in `folder`) fell back to synthetic data.
func ranOnSyntheticData(_ folder: URL) -> Bool {
    guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent("results.json").path),
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return false }
    return object["synthetic"] as? Bool == true
}

func modified(_ url: URL) -> Date? {
    (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
}

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the lessons and the state of their output (the default).")
    @OptionGroup var place: Place

    func run() {
        let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let progress = Progress(root: root)
        print(
            Table(
                header: ["#", "lesson", "output", "exercises right", "written", "command"],
                rows: Course.lessons.map { lesson in
                    let summary = progress.summary(lesson.number)
                    return [String(lesson.number), lesson.title, state(lesson), summary.right, summary.written, lesson.command]
                }
            ).text)
        print("\n" + Course.lessons.map { "\($0.number). \($0.summary)" }.joined(separator: "\n"))
        print(
            """

            Run them all with `swift run course run`; check the set-up with `swift run course doctor`.
            Exercises: write the cells in Lessons/lesson-N/Cells.swift; keep `swift run course watch` running to check them as you
            save, `swift run course check` grades them all, `swift run course reset 5.2` puts one back to its placeholder.
            """)
    }

    func state(_ lesson: LessonInfo) -> String {
        guard let written = modified(place.folder(lesson).appendingPathComponent("results.json")) else { return "not run" }
        guard let built = modified(productsFolder.appendingPathComponent(lesson.executable)) else { return "present" }
        let synthetic = ranOnSyntheticData(place.folder(lesson)) ? " (on synthetic data)" : ""
        return (written >= built ? "up to date" : "out of date") + synthetic
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the lessons in order with their defaults, then write the contents page output/index.html.")
    @OptionGroup var place: Place
    @Option(help: ArgumentHelp("First lesson to run.", valueName: "n")) var from: Int = Course.lessons.first!.number
    @Option(help: ArgumentHelp("Last lesson to run.", valueName: "m")) var to: Int = Course.lessons.last!.number
    @Option(help: ArgumentHelp("MovieLens folder, passed to the lessons that read it.", valueName: "dir")) var data: String?

    func validate() throws {
        guard Course.lesson(from) != nil, Course.lesson(to) != nil, from <= to else {
            throw ValidationError("--from and --to must be lesson numbers 1...\(Course.lessons.count), with --from ≤ --to")
        }
    }

    func run() throws {
        // The contents page and the contact sheet are written at the end: a page of the learner's own in their place
        // stops the run before any lesson.
        if let why = place.whyNotOurs(place.index) ?? place.whyNotOurs(place.figures) {
            throw ExitMessage("\(why); move it away or choose another --output DIR (nothing was run)")
        }
        let chosen = Course.lessons.filter { (from...to).contains($0.number) }
        var rows = [[String]](), statuses = [Int: String]()
        for lesson in chosen {
            say("▶ Lesson \(lesson.number): \(lesson.title)")
            let begin = Date()
            let result = try runLesson(lesson)
            let seconds = Date().timeIntervalSince(begin)
            if !result.warnings.isEmpty { say("  " + result.warnings.joined(separator: "\n  ")) }
            guard result.status == 0 else {
                let message = result.error ?? "exit status \(result.status)"
                say("  ✗ failed after \(formatSeconds(seconds))")
                statuses[lesson.number] = "failed: \(message)"
                try? writeIndex(statuses)  // best effort: the lesson's error is what must be said
                throw ExitMessage("lesson \(lesson.number) failed: \(message)")
            }
            let synthetic = ranOnSyntheticData(place.folder(lesson))
            say(
                "  ✓ done in \(formatSeconds(seconds)) → \(place.output)/\(lesson.executable)/index.html"
                    + (synthetic ? " (on SYNTHETIC data: MovieLens could not be had)" : ""))
            statuses[lesson.number] =
                "ran in \(formatSeconds(seconds))"
                + (synthetic ? "; on SYNTHETIC data, because MovieLens could not be had: the numbers and titles are made up" : "")
            rows.append([String(lesson.number), lesson.title, formatSeconds(seconds)])
        }
        try writeIndex(statuses)
        say("\n" + Table(header: ["#", "lesson", "time"], rows: rows).text)
        say("\nThe course reads like a notebook: open \(place.output)/index.html in a browser.")
    }

    /// Runs one lesson's executable quietly (its transcript, page and figures are what it leaves).
    func runLesson(_ lesson: LessonInfo) throws -> (status: Int32, error: String?, warnings: [String]) {
        let executable = productsFolder.appendingPathComponent(lesson.executable)
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw ExitMessage("\(executable.path) is not built: run `swift build` first")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = ["--quiet", "--output", place.folder(lesson).path] + (lesson.usesMovieLens ? data.map { ["--data", $0] } ?? [] : [])
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        // Ctrl-C reaches the lesson too (it runs in a process group of its own): it is passed on and waited for.
        try Interrupts.shared.run(process)
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        Interrupts.shared.finished(process)
        Interrupts.shared.holdIfInterrupted()  // the runner ends by the interrupt, not by reporting the lesson's end
        let lines = text.split(separator: "\n").map(String.init)
        let error = lines.last { $0.contains(": error: ") || $0.hasPrefix("Error: ") }
        return (process.terminationStatus, error, lines.filter { $0 != error })
    }

    func writeIndex(_ statuses: [Int: String]) throws {
        do {
            try FileManager.default.createDirectory(at: place.root, withIntermediateDirectories: true)
        } catch {
            throw ExitMessage("cannot create the output folder \(place.root.path): \(reason(of: error))")
        }
        let entries = Course.lessons.map { lesson in
            NotebookPage.Entry(
                lesson: lesson,
                hasPage: FileManager.default.fileExists(atPath: place.folder(lesson).appendingPathComponent("index.html").path),
                status: statuses[lesson.number] ?? "not run in the last `course run`")
        }
        if let why = place.whyNotOurs(place.index) ?? place.whyNotOurs(place.figures) { throw ExitMessage("\(why); it was left as it is") }
        try writeAtomically(NotebookPage.index(entries), to: place.index)
        // The contact sheet gathers the figures of every lesson whose transcript is there (from this run or an earlier one).
        let sheet = Course.lessons.map { lesson in
            let transcript = (try? String(contentsOf: place.folder(lesson).appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
            return (lesson: lesson, figures: NotebookPage.figures(inTranscript: transcript))
        }
        try writeAtomically(NotebookPage.contactSheet(sheet), to: place.figures)
        try OutputMark.write(in: place.root, owner: "course", files: [place.index.lastPathComponent, place.figures.lastPathComponent])
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Grade the exercises of every lesson (the cells in Lessons/lesson-N/Cells.swift); exit 0 when all are right.")
    @Option(help: ArgumentHelp("First lesson to check.", valueName: "n")) var from: Int = Course.lessons.first!.number
    @Option(help: ArgumentHelp("Last lesson to check.", valueName: "m")) var to: Int = Course.lessons.last!.number
    @Flag(help: "Grade the worked solutions instead of your cells.") var solutions = false
    @Flag(name: .customLong("no-build"), help: "Do not rebuild the lessons first (by default `swift build` runs, so that the check sees your latest cells).")
    var noBuild = false

    func validate() throws {
        guard Course.lesson(from) != nil, Course.lesson(to) != nil, from <= to else {
            throw ValidationError("--from and --to must be lesson numbers 1...\(Course.lessons.count), with --from ≤ --to")
        }
    }

    func run() throws {
        if !noBuild { try build() }
        var rows = [[String]](), allRight = true, total = 0, right = 0
        for lesson in Course.lessons where (from...to).contains(lesson.number) {
            let executable = productsFolder.appendingPathComponent(lesson.executable)
            guard FileManager.default.isExecutableFile(atPath: executable.path) else {
                throw ExitMessage("\(executable.path) is not built: run `swift build` first")
            }
            let run = IsolatedRun.run(
                executable, ["--check", "--check-json"] + (solutions ? ["--solutions"] : []),
                timeLimit: ExerciseChecker.timeLimit * Double(CourseExercises.list(lesson.number).count + 1))
            let outcomes = ((try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8))) as? [[String: Any]])?
                .map { $0.compactMapValues { $0 as? String } }
            guard let outcomes else {
                throw ExitMessage("lesson \(lesson.number)'s check gave no answer: \(run.failure(timeLimit: ExerciseChecker.timeLimit))")
            }
            for outcome in outcomes {
                let status = outcome["status"].flatMap(CheckOutcome.Status.init(rawValue:)) ?? .wrong
                total += 1
                if status == .right { right += 1 } else { allRight = false }
                // One line per exercise: the first line of what the check found.
                let found = (outcome["message"] ?? "").split(separator: "\n").first.map(String.init) ?? ""
                rows.append([
                    CheckOutcome.mark(status), outcome["id"] ?? "", outcome["function"] ?? "", outcome["task"] ?? "",
                    status == .right ? "right" : status == .notDone ? "not done yet" : "\(status.rawValue): " + found
                ])
            }
        }
        print(Table(header: ["", "exercise", "function", "what it computes", "check"], rows: rows).text)
        print(
            "\n\(right) of \(total) exercises done and right."
                + (allRight ? "" : " Each lesson's `swift run lesson-N --check` shows the details; cells are in Lessons/lesson-N/Cells.swift."))
        if !allRight { throw ExitCode(1) }
    }

    /// Rebuilds the lessons, so the check grades the cells as they are now.
    func build() throws {
        #if DEBUG
            let configuration = ["build"]
        #else
            let configuration = ["build", "-c", "release"]
        #endif
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift"] + configuration
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        print("Building the lessons (swift \(configuration.joined(separator: " ")))…")
        do { try Interrupts.shared.run(process) } catch { throw ExitMessage("could not run `swift build`: \(error); build first, then use --no-build") }
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        Interrupts.shared.finished(process)
        guard process.terminationStatus == 0 else {
            let first = text.split(separator: "\n").first { $0.contains("error:") }.map(String.init) ?? "exit status \(process.terminationStatus)"
            throw ExitMessage("the lessons do not build: \(first)")
        }
    }
}

struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check the set-up and say what to fix, one line each.")
    @OptionGroup var place: Place
    @Option(help: ArgumentHelp("MovieLens folder to check (default: $CF_DATA_DIR, else the cache folder).", valueName: "dir"))
    var data: String?
    @Flag(help: "Also check that GroupLens can be reached over the network.") var online = false

    func run() throws {
        var problems = 0
        func report(_ ok: Bool, _ text: String) {
            print((ok ? "✓ " : "✗ ") + text)
            if !ok { problems += 1 }
        }
        #if compiler(>=6.0)
            let compiler = "Swift 6 or later"
        #else
            let compiler = "a Swift older than 6"
        #endif
        let swiftVersion = capture("swift", ["--version"])?.split(separator: "\n").first.map(String.init)
        report(true, "built with \(compiler)" + (swiftVersion.map { "; on the PATH: \($0)" } ?? ""))

        if let gnuplot = GnuplotRenderer.locateGnuplot() {
            let version = capture(gnuplot.path, ["--version"])?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "gnuplot"
            let terminals = capture(gnuplot.path, ["-e", "set terminal"]) ?? ""
            let wanted = ["pngcairo", "svg", "pdfcairo"]
            let missing = wanted.filter { name in !terminals.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix(name + " ") } }
            report(
                missing.isEmpty,
                "\(version) at \(gnuplot.path)"
                    + (missing.isEmpty
                        ? ", with terminals pngcairo, svg and pdfcairo"
                        : ", but without \(missing.joined(separator: ", ")): install a build with cairo (Debian/Ubuntu: sudo apt-get install gnuplot-nox)"))
        } else {
            report(false, "gnuplot is not on the PATH: " + GnuplotRenderer.installHint)
        }

        do {
            try FileManager.default.createDirectory(at: place.root, withIntermediateDirectories: true)
            let probe = place.root.appendingPathComponent(".doctor-\(getpid())")
            try Data().write(to: probe)
            try FileManager.default.removeItem(at: probe)
            report(true, "the output folder \(place.output)/ is writable")
        } catch {
            report(false, "the output folder \(place.output)/ is not writable (\(reason(of: error))): use --output DIR with the lessons")
        }

        // The data is read as the lessons read it, so a ✓ here means lessons 5 and 6 will accept it.
        let folder = DataLocation.folder(explicit: data)
        if let found = DataLocation.dataSetFolder(in: folder) {
            do {
                let movieLens = try MovieLens.load(from: found)
                var folds = [String]()
                for fold in 1...5 where try movieLens.hasFold(fold) {
                    _ = try movieLens.split(fold: fold)
                    folds.append("u\(fold)")
                }
                report(
                    true,
                    "\(movieLens.format.rawValue) at \(found.path): \(movieLens.ratings.count) ratings of \(movieLens.titles.count) movies"
                        + (folds.isEmpty ? "" : ", folds \(folds.joined(separator: ", ")) readable"))
            } catch {
                report(false, "MovieLens at \(found.path) cannot be used: \(error)")
            }
        } else if data != nil {
            report(false, "--data \(data ?? ""): " + MovieLensError.notFound(directory: folder.path).description)
        } else {
            print("- MovieLens is not in \(folder.path) yet: lesson 5 downloads it on first run (4.9 MB), or pass --data DIR")
        }

        if online {
            let url = DataLocation.movieLens100K.url
            var request = URLRequest(url: url, timeoutInterval: 10)
            request.httpMethod = "HEAD"
            let answer = reach(request)
            report(
                answer == nil,
                answer.map { "GroupLens is not reachable (\($0)): lesson 5 will run on synthetic data until MovieLens is placed by hand" }
                    ?? "GroupLens is reachable (\(url.host ?? ""))")
        }
        if problems > 0 { throw ExitCode(1) }
    }

    /// The standard output (and error) of a program, or nil if it cannot be run.
    func capture(_ program: String, _ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        guard (try? Interrupts.shared.run(process, gentle: false)) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        Interrupts.shared.finished(process)
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }

    /// nil if the request got an HTTP answer below 400, else why not.
    func reach(_ request: URLRequest) -> String? {
        final class Box: @unchecked Sendable { var failure: String? = "no answer" }
        let box = Box(), done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { _, response, error in
            if let error {
                box.failure = error.localizedDescription
            } else if let http = response as? HTTPURLResponse {
                box.failure = http.statusCode < 400 ? nil : "HTTP \(http.statusCode)"
            }
            done.signal()
        }.resume()
        _ = done.wait(timeout: .now() + 15)
        return box.failure
    }
}

struct Clean: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Remove what the lessons wrote: output/lesson-N/, output/index.html and output/figures.html, only where the course's mark says they are unchanged.")
    @OptionGroup var place: Place

    func run() throws {
        var removed = [String](), left = [String]()
        func remove(_ target: URL, _ name: String) throws {
            do { try FileManager.default.removeItem(at: target) } catch {
                throw ExitMessage("cannot remove \(target.path): \(reason(of: error))")
            }
            removed.append(name)
        }
        for lesson in Course.lessons {
            let folder = place.folder(lesson)
            guard FileManager.default.fileExists(atPath: folder.path) else { continue }
            if let why = OutputMark.whyNotReplaceable(folder) {
                left.append("\(lesson.executable)/ (\(why.replacingOccurrences(of: ", and a lesson replaces its output folder whole", with: "")))")
            } else {
                try remove(folder, lesson.executable + "/")
            }
        }
        var pagesLeft = false
        for page in [place.index, place.figures] {
            let name = page.lastPathComponent
            if let why = place.whyNotOurs(page) {
                left.append("\(name) (\(why.replacingOccurrences(of: "\(place.output)/\(name) ", with: "")))")
                pagesLeft = true
            } else if FileManager.default.fileExists(atPath: page.path) {
                try remove(page, name)
            }
        }
        if !pagesLeft { try? FileManager.default.removeItem(at: place.root.appendingPathComponent(OutputMark.fileName)) }
        print(removed.isEmpty ? "Nothing removed in \(place.output)/." : "Removed from \(place.output)/: \(removed.joined(separator: ", ")).")
        if !left.isEmpty {
            print("Left as they are, because the course did not write them or they were changed: \(left.joined(separator: "; ")).")
        }
    }
}

struct ReadmeTable: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "readme-table",
        abstract: "Print the README's tables: the lessons, then the exercises.")
    func run() { print(Course.markdownTable + "\n\n" + CourseExercises.markdownTable) }
}

/// Prints a line; if nobody reads standard output any more (`course run | head`), ends the runner by SIGPIPE at once,
/// after stopping the lesson it runs, instead of running the rest of the course for nobody.
func say(_ text: String) {
    print(text)
    Interrupts.shared.endIfOutputIsGone()
}

/// An error whose text is the whole message.
struct ExitMessage: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

flushStandardOutputByLine()
Interrupts.shared.install()
CourseCommand.mainExplaining()
