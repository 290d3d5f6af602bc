import ArgumentParser
import Foundation

// Command-line mistakes in one line, for every program of the course (the lessons, `course`, `cf-bench`).

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
