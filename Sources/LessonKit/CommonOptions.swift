import ArgumentParser
import Figures
import Foundation

/// The options every lesson takes. A lesson adds its own next to them with `@OptionGroup`.
public struct CommonOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Folder for the figures, transcript and results (default: output/lesson-N).",
            valueName: "dir"))
    public var output: String?

    // `.unconditional`, so that `--seed -1` is read as a (wrong) seed rather than as an option named -1.
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Seed of the random generator, a whole number from 0 to 4294967295 (numpy's RandomState with the same seed gives the same numbers).",
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

    @Flag(
        help: ArgumentHelp(
            "Grade the cells you wrote in this lesson's Cells.swift (one line per exercise) instead of running the lesson; exit 0 when all are right."))
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
