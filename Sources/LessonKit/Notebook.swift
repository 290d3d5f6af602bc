import CFCore
import Figures
import Foundation
import MovieLens
import TextOutput

/// Why a lesson could not run.
public enum LessonError: Error, CustomStringConvertible {
    /// The output folder cannot be created or written.
    case outputNotWritable(path: String, reason: String)
    /// Anything else worth one clear line.
    case message(String)

    public var description: String {
        switch self {
        case let .outputNotWritable(path, reason):
            return "cannot write to the output folder \(path): \(reason); choose another with --output DIR"
        case let .message(text):
            return text
        }
    }
}

/// A lesson's page: prints the narrative as it goes and keeps a Markdown transcript, the figures
/// and the key numbers, which `finish()` writes to the output folder as `README.md` and `results.json`.
public final class Notebook {
    /// The lesson's number in the course.
    public let number: Int
    /// The lesson's title.
    public let title: String
    /// The options the lesson was started with.
    public let options: CommonOptions
    /// The folder the lesson's output ends up in.
    ///
    /// While the lesson runs, everything is written to a hidden sibling folder (`stagingDirectory`); `finish()`
    /// swaps it in, so the output folder always holds the complete output of one run: this one once it has
    /// finished, the previous one if it failed or was interrupted.
    public let outputDirectory: URL
    /// Where this run writes until it has finished: `.NAME.incomplete-PID` next to the output folder.
    public let stagingDirectory: URL
    private var cleanupToken: Int?

    private let style = Style()
    private let renderer: GnuplotRenderer
    private var transcript = [String]()
    /// When the run began, and each section (a heading) with the time it began: the footer's time per section.
    private let began = Date()
    private var sections = [(title: String, began: Date)]()
    private var results: [(String, JSONValue)] = []
    private var exerciseCount = 0
    private var figureNames = [String]()
    private var renderFailures = [FigureError]()

    /// The functions of the lesson's `Cells.swift` that this run uses as written (the learner's, or with
    /// `--solutions` the worked solutions); the others run on the course's own versions.
    public private(set) var writtenCells = Set<String>()
    /// The exercises of the lesson's `Cells.swift`, as `Lesson.run` was given them.
    private var cells = [ExerciseInfo]()

    /// The seed every random draw of the lesson starts from.
    public var seed: UInt32 { options.seed }

    /// Opens the lesson's page, creating its output folder.
    ///
    /// - Throws: `LessonError.outputNotWritable` if the folder cannot be created or written.
    public init(number: Int, title: String, options: CommonOptions) throws {
        self.number = number
        self.title = title
        self.options = options
        let displayPath = options.output ?? "output/lesson-\(number)"
        outputDirectory = URL(fileURLWithPath: displayPath).standardizedFileURL
        let parent = outputDirectory.deletingLastPathComponent(), name = outputDirectory.lastPathComponent
        stagingDirectory = parent.appendingPathComponent(".\(name).incomplete-\(getpid())")
        try OutputFolder.checkReplaceable(outputDirectory, displayPath: displayPath)
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
            OutputFolder.removeAbandoned(in: parent, name: name)
            try? FileManager.default.removeItem(at: stagingDirectory)
            try FileManager.default.createDirectory(at: stagingDirectory, withIntermediateDirectories: false)
        } catch {
            throw LessonError.outputNotWritable(path: displayPath, reason: reason(of: error))
        }
        let staging = stagingDirectory
        cleanupToken = Interrupts.shared.onInterrupt { try? FileManager.default.removeItem(at: staging) }
        Interrupts.shared.install()
        renderer = GnuplotRenderer(directory: stagingDirectory, format: options.format)
        say(style.bold("Lesson \(number): \(title)"))
        say(style.dim(String(repeating: "═", count: min(88, 8 + String(number).count + title.count))) + "\n")
        transcript.append("# Lesson \(number): \(title)")
        record("lesson", number)
        record("title", title)
        record("seed", Int(options.seed))
    }

    private func say(_ text: String) {
        if !options.quiet { print(text) }
        Interrupts.shared.endIfOutputIsGone()
    }

    /// A section heading.
    public func heading(_ text: String) {
        sections.append((text, Date()))
        say(style.heading("## " + text) + "\n")
        transcript.append("## " + MarkdownText.escaped(text))
    }

    /// A paragraph of prose; line breaks and runs of spaces in `text` are folded.
    public func paragraph(_ text: String) {
        say(wrapped(text) + "\n")
        transcript.append(MarkdownText.escaped(text.split(whereSeparator: \.isWhitespace).joined(separator: " ")))
    }

    /// A warning that must be seen even with `--quiet`: one line on standard error, and a note in the transcript.
    public func warn(_ text: String) {
        let line = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        FileHandle.standardError.write(Data("lesson-\(number): warning: \(line)\n".utf8))
        transcript.append("> **Warning:** " + MarkdownText.escaped(line))
    }

    /// A short aside, set off from the prose.
    public func note(_ text: String) {
        say(style.dim(wrapped("Note: " + text, indent: "  ")) + "\n")
        transcript.append("> **Note:** " + MarkdownText.escaped(text.split(whereSeparator: \.isWhitespace).joined(separator: " ")))
    }

    /// Lines shown as they are: a formula, a code fragment, a small worked sum.
    public func code(_ text: String) {
        say(text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n") + "\n")
        transcript.append("```\n" + text + "\n```")
    }

    /// An aligned table with an optional caption above it.
    public func table(_ table: Table, caption: String? = nil) {
        if let caption { say(style.bold(caption)) }
        say(table.text + "\n")
        transcript.append((caption.map { "**\(MarkdownText.escaped($0))**\n\n" } ?? "") + table.markdown)
    }

    /// A matrix as a table with named rows and columns; `nil` cells print blank.
    public func matrix(
        _ values: [[Double?]], rowNames: [String], columnNames: [String], corner: String = "",
        digits: Int = 2, caption: String? = nil
    ) {
        table(
            Table(matrix: values, rowNames: rowNames, columnNames: columnNames, corner: corner, digits: digits),
            caption: caption)
    }

    /// A matrix as a table with named rows and columns.
    public func matrix(
        _ m: Matrix, rowNames: [String], columnNames: [String], corner: String = "",
        digits: Int = 2, caption: String? = nil
    ) {
        matrix(
            m.rowArrays.map { $0.map(Optional.some) }, rowNames: rowNames, columnNames: columnNames,
            corner: corner, digits: digits, caption: caption)
    }

    /// Says which cells this run uses: the learner's (or the worked solutions) where written, the course's own elsewhere.
    func announceCells(_ exercises: [Exercise]) {
        cells = exercises.map(\.info)
        guard !exercises.isEmpty else { return }
        let file = Course.cellsFile(number)
        if options.solutions {
            writtenCells = Set(exercises.map(\.info.function))
            note("this run uses the worked solutions of the exercises (\(Course.solutionsFile(number))) in place of your cells.")
            return
        }
        writtenCells = Set(exercises.filter(\.isWritten).map(\.info.function))
        let names = { (list: [Exercise]) in list.map { "`\($0.info.function)`" }.joined(separator: ", ") }
        let written = exercises.filter { writtenCells.contains($0.info.function) }
        // Written in the source but not done when run: the cell calls one that is not written yet.
        let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let inSource = Course.writtenCells(number, functions: exercises.map(\.info.function), root: root) ?? []
        let waiting = exercises.filter { !writtenCells.contains($0.info.function) && inSource.contains($0.info.function) }
        let open = exercises.filter { !writtenCells.contains($0.info.function) && !inSource.contains($0.info.function) }
        var parts = [String]()
        if !written.isEmpty { parts.append("this run uses your \(names(written)) from \(file) (grade \(written.count == 1 ? "it" : "them") with --check)") }
        if !waiting.isEmpty {
            parts.append(
                "your \(names(waiting)) \(waiting.count == 1 ? "is" : "are") written but call\(waiting.count == 1 ? "s" : "") a cell not written yet, so this run uses the course's version\(waiting.count == 1 ? "" : "s") of \(waiting.count == 1 ? "it" : "them") too"
            )
        }
        if !open.isEmpty {
            parts.append(
                "✏️ \(names(open)) in \(file) \(open.count == 1 ? "is" : "are") not done yet, so this run uses the course's own version\(open.count == 1 ? "" : "s")"
            )
        }
        note(parts.joined(separator: "; ") + ".")
        // A cell found wrong at the last check (Cells.swift unchanged since) makes numbers below that may be wrong too.
        if let record = CheckRecord.load(lesson: number, root: root), !record.isStale(lesson: number, root: root) {
            let wrong = written.filter { record.outcomes[$0.info.id]?.status == .wrong }
            if !wrong.isEmpty {
                warn(
                    "your \(names(wrong)) \(wrong.count == 1 ? "was" : "were") wrong at the last check (`swift run lesson-\(number) --check` shows where): "
                        + "the numbers below that come from \(wrong.count == 1 ? "it" : "them") are your code's, and may be wrong too.")
            }
        }
    }

    /// The exercises of `Cells.swift`: where to write them and how to check them.
    public func cellExercises() {
        guard let lesson = Course.lesson(number), !cells.isEmpty else { return }
        let list = cells.map { "\($0.id) `\($0.function)`: \($0.task)" }.joined(separator: "; ")
        exercise(
            """
            Write the cells in \(lesson.cellsFile), each where it says ✏️: \(list). The lesson runs on your code as soon as a \
            cell is written; `swift run \(lesson.executable) --check` grades them (or keep `swift run course watch` running), and \
            `\(lesson.command) --solutions` runs the worked solutions (in \(Course.solutionsFile(number))).
            """)
        guard !options.solutions else { return }
        // Each cell's state, from the last check when Cells.swift has not changed since, and the source of those written.
        let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        guard let text = try? String(contentsOf: root.appendingPathComponent(lesson.cellsFile), encoding: .utf8) else { return }
        let record = CheckRecord.load(lesson: number, root: root).flatMap { $0.isStale(lesson: number, root: root) ? nil : $0 }
        table(
            Table(
                header: ["exercise", "cell", "state"],
                rows: cells.map { cell in
                    let state: String
                    if !writtenCells.contains(cell.function) {
                        state =
                            CellSource.bodyRange(of: cell.function, in: text).map { !text[$0].contains("throw NotDoneYet()") } == true
                            ? "written, but it calls a cell not written yet: this run used the course's version"
                            : "not written yet: this run used the course's version"
                    } else if let found = record?.outcomes[cell.id] {
                        state =
                            found.status == .right
                            ? "✓ right at the last check" : "\(CheckOutcome.mark(found.status)) \(found.status.rawValue) at the last check"
                    } else {
                        state = "written; not checked since Cells.swift last changed"
                    }
                    return [cell.id, "`\(cell.function)`", state]
                }), caption: "Your cells in \(lesson.cellsFile)")
        for cell in cells where writtenCells.contains(cell.function) {
            if let source = CellSource.function(cell.function, in: text) { code(source) }
        }
    }

    /// A numbered exercise for the learner.
    public func exercise(_ text: String) {
        exerciseCount += 1
        say(style.accent(wrapped("Exercise \(exerciseCount). " + text, indent: "  ")) + "\n")
        transcript.append("**Exercise \(exerciseCount).** " + MarkdownText.escaped(text.split(whereSeparator: \.isWhitespace).joined(separator: " ")))
    }

    /// Writes the figure's gnuplot script and data, renders it unless `--no-plots`, and shows it in the transcript.
    public func figure(_ figure: Figure) throws {
        precondition(!figureNames.contains(figure.name), "two figures are named \(figure.name)")
        figureNames.append(figure.name)
        try renderer.writeScript(figure)
        let image = GnuplotScript.imageFile(figure.name, options.format)
        if !options.noPlots && renderFailures.first != .gnuplotMissing {
            do {
                try renderer.render(figure.name)
            } catch let error as FigureError {
                renderFailures.append(error)
            }
        }
        say(style.dim("[figure] \(image): \(figure.title)") + "\n")
        transcript.append("![\(MarkdownText.escaped(figure.title))](\(image))")
    }

    /// Records a key number of the lesson in `results.json`.
    public func record(_ key: String, _ value: some JSONConvertible) {
        if let index = results.firstIndex(where: { $0.0 == key }) {
            results[index].1 = value.json
        } else {
            results.append((key, value.json))
        }
    }

    /// Removes what this run wrote (after a failure): the output folder keeps the previous complete run.
    public func discard() {
        try? FileManager.default.removeItem(at: stagingDirectory)
        if let cleanupToken { Interrupts.shared.remove(cleanupToken) }
    }

    /// Writes `README.md` and `results.json`, swaps the finished run into the output folder, and says in one
    /// line if any figure was not rendered.
    public func finish() throws {
        // The footer: how long each section took, so that a reader sees where the run's time goes.
        let end = Date()
        let times = sections.enumerated().map { index, section in
            (section.title, (index + 1 < sections.count ? sections[index + 1].began : end).timeIntervalSince(section.began))
        }
        let total = end.timeIntervalSince(began), beforeFirst = (sections.first?.began ?? end).timeIntervalSince(began)
        if !times.isEmpty {
            transcript.append("---")
            transcript.append(
                "Time per section, \(formatSeconds(total)) in all: "
                    + ([("before the first section", beforeFirst)] + times).filter { $0.1 >= 0.005 }
                    .map { "\(MarkdownText.escaped($0.0)) \(formatSeconds($0.1))" }.joined(separator: " · ") + ".")
            results.append(("section_seconds", .object(times.map { ($0.0, .number($0.1)) })))
        }
        try writeAtomically(transcript.joined(separator: "\n\n") + "\n", to: stagingDirectory.appendingPathComponent("README.md"))
        try writeAtomically(JSONValue.object(results).text() + "\n", to: stagingDirectory.appendingPathComponent("results.json"))
        try writeAtomically(
            NotebookPage.lesson(number, markdown: transcript.joined(separator: "\n\n")),
            to: stagingDirectory.appendingPathComponent("index.html"))
        try OutputMark.write(in: stagingDirectory, owner: "lesson-\(number)")
        // Checked again just before the swap: the folder may have been given files while the lesson ran.
        try OutputFolder.checkReplaceable(outputDirectory, displayPath: options.output ?? "output/lesson-\(number)")
        try OutputFolder.publish(stagingDirectory, as: outputDirectory, displayPath: options.output ?? "output/lesson-\(number)")
        if let cleanupToken { Interrupts.shared.remove(cleanupToken) }
        let place = options.output ?? "output/lesson-\(number)"
        say(
            style.dim(
                "Wrote \(place)/: the transcript README.md and index.html, results.json and \(figureNames.count) figure"
                    + (figureNames.count == 1 ? "" : "s") + " (\(options.noPlots ? "scripts only" : "scripts, data and images"))."))
        if let first = renderFailures.first {
            let rest = renderFailures.count > 1 ? " (and \(renderFailures.count - 1) more figures)" : ""
            let message = "\(first)".replacingOccurrences(of: "lesson-N", with: "lesson-\(number)")
            FileHandle.standardError.write(Data("lesson-\(number): warning: \(message)\(rest)\n".utf8))
        }
    }
}

/// Runs a lesson's body on a fresh notebook and exits: 0 when it finished, 1 with a one-line
/// message on standard error when anything threw (never a backtrace).
public enum Lesson {
    /// Runs lesson `number` (its title comes from `Course.lessons`); `body` tells the lesson on the notebook.
    ///
    /// With `--check` it grades the `exercises` instead and exits; otherwise the notebook says, in one line, which
    /// cells this run uses as written and which it replaces by the course's own versions (`Notebook.writtenCells`).
    public static func run(_ number: Int, options: CommonOptions, exercises: [Exercise] = [], _ body: (Notebook) throws -> Void) -> Never {
        if let id = options.checkOnly { ExerciseChecker.runOne(id, exercises: exercises) }
        if options.check {
            ExerciseChecker.run(lesson: number, exercises: exercises, solutions: options.solutions, json: options.checkJSON, quiet: options.quiet)
        }
        flushStandardOutputByLine()
        var book: Notebook?
        do {
            book = try Notebook(number: number, title: Course.lesson(number)?.title ?? "Lesson \(number)", options: options)
            guard let book else { exit(1) }
            book.announceCells(exercises)
            try body(book)
            try book.finish()
            exit(0)
        } catch {
            Interrupts.shared.holdIfInterrupted()  // an error caused by the interrupt's clean-up is not the lesson's error
            book?.discard()
            fflush(nil)  // the narrative so far first, then the error, even when both go to one file
            FileHandle.standardError.write(Data("lesson-\(number): error: \(describe(error))\n".utf8))
            exit(1)
        }
    }

    /// One line describing `error`: our own errors say what they are; file-system errors give their reason.
    public static func describe(_ error: Error) -> String {
        if error is CocoaError || type(of: error) == NSError.self { return reason(of: error) }
        // The core speaks of λ and learning rates; the lessons' options that set them are named here.
        if let training = error as? TrainingError {
            switch training {
            case .underdetermined, .singular: return "\(error) (--lambda sets λ)"
            case .diverged: return String(describing: error)
            }
        }
        if error is LeastSquaresError { return "\(error) (--lambda sets λ)" }
        if case .unknownUserID? = error as? MovieLensError { return "\(error); choose one with --user ID" }
        if case .unknownMovieID? = error as? MovieLensError { return "\(error); choose one with --movie ID" }
        return String(describing: error)
    }
}
