import ArgumentParser
import Figures

/// The options every lesson takes. A lesson adds its own next to them with `@OptionGroup`.
public struct CommonOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Folder for the figures, transcript and results (default: output/lesson-N).",
                               valueName: "dir"))
    public var output: String?

    @Option(help: ArgumentHelp("Seed of the random generator (numpy's RandomState with the same seed gives the same numbers).",
                               valueName: "n"))
    public var seed: UInt32 = 42

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
