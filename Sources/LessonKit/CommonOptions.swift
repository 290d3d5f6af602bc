import ArgumentParser
import Figures
import Foundation

/// The options every lesson takes. A lesson adds its own next to them with `@OptionGroup`.
public struct CommonOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Folder for the figures, transcript and results (default: output/lesson-N).",
                               valueName: "dir"))
    public var output: String?

    // `.unconditional`, so that `--seed -1` is read as a (wrong) seed rather than as an option named -1.
    @Option(parsing: .unconditional,
            help: ArgumentHelp("Seed of the random generator, a whole number from 0 to 4294967295 (numpy's RandomState with the same seed gives the same numbers).",
                               valueName: "n"),
            transform: CommonOptions.seed)
    public var seed: UInt32 = 42

    /// A seed from its text: a whole number from 0 to 2³² − 1.
    static func seed(_ text: String) throws -> UInt32 {
        guard let value = UInt32(text) else { throw ValidationError("seeds are whole numbers from 0 to 4294967295") }
        return value
    }

    @Option(help: ArgumentHelp("Image format of the figures: png, svg or pdf.", valueName: "format"))
    public var format: ImageFormat = .png

    @Flag(name: .customLong("no-plots"), help: "Write the gnuplot scripts and data but do not run gnuplot.")
    public var noPlots = false

    @Flag(help: "Print nothing but errors; the transcript and results are still written.")
    public var quiet = false

    @Flag(help: ArgumentHelp("Grade the cells you wrote in this lesson's Cells.swift (one line per exercise) instead of running the lesson; exit 0 when all are right."))
    public var check = false

    @Flag(help: "Use the worked solutions of the exercises instead of your cells (with --check: grade the solutions).")
    public var solutions = false

    /// Checks one exercise and prints its outcome (the checker runs each exercise this way, in a process of its own).
    @Option(name: .customLong("check-only"), help: .hidden)
    public var checkOnly: String?

    /// With --check: the outcomes as JSON (for `course check`).
    @Flag(name: .customLong("check-json"), help: .hidden)
    public var checkJSON = false

    public init() {}

    public func validate() throws {
        if let output, output.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--output needs a folder name (it is empty)")
        }
    }
}

extension ImageFormat: ExpressibleByArgument {}

extension ParsableArguments {
    /// Parses the command line like `parseOrExit()`, but says a mistake in one line (the program's name, the
    /// message, and where the help is) and exits with status 64; `--help` still prints the whole help.
    public static func parseOrExplain(_ arguments: [String]? = nil) -> Self {
        do { return try parse(arguments) } catch { explainAndExit(error, parsing: true) }
    }

    /// Says `error` in one line on standard error and exits with its status; help and `ExitCode` go as they would.
    /// `parsing` adds where the help is (a mistake on the command line, not in what the program then did).
    public static func explainAndExit(_ error: Error, parsing: Bool) -> Never {
        let code = exitCode(for: error)
        let message = self.message(for: error).split(whereSeparator: \.isNewline).joined(separator: " ")
        if code == .success || error is ExitCode || message.isEmpty { exit(withError: error) }
        let name = CommandLine.arguments.first.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "lesson"
        let hint = parsing ? " (`\(name) --help` lists the options)" : ""
        FileHandle.standardError.write(Data("\(name): error: \(message)\(hint)\n".utf8))
        Foundation.exit(code.rawValue)
    }
}

extension ParsableCommand {
    /// Runs the command like `main()`, saying every mistake and error in one line (`parseOrExplain`).
    public static func mainExplaining() -> Never {
        var command: ParsableCommand
        do { command = try parseAsRoot() } catch { explainAndExit(error, parsing: true) }
        do { try command.run() } catch { explainAndExit(error, parsing: false) }
        Foundation.exit(0)
    }
}
