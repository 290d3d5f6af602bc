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

    public init() {}
}

extension ImageFormat: ExpressibleByArgument {}
