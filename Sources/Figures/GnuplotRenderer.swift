import Foundation
import TextOutput

/// What went wrong while writing or rendering a figure.
public enum FigureError: Error, Equatable, CustomStringConvertible {
    /// No `gnuplot` program was found on the PATH.
    case gnuplotMissing
    /// gnuplot ran but failed on a script; `message` is the first line it printed.
    case gnuplotFailed(script: String, message: String)
    /// A file could not be written.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .gnuplotMissing:
            return "gnuplot was not found, so no images were rendered; " + GnuplotRenderer.installHint
        case let .gnuplotFailed(script, message):
            return "gnuplot failed on \(script): \(message)"
        case let .cannotWrite(path, reason):
            return "cannot write \(path): \(reason)"
        }
    }
}

/// Writes figure scripts into a folder and renders them by running the `gnuplot` program.
///
/// Every file appears whole or not at all: text files are written to a temporary file and renamed,
/// and gnuplot draws into a temporary image that is renamed only when it succeeded.
public struct GnuplotRenderer: Sendable {
    /// The folder the scripts, data and images go to.
    public let directory: URL
    /// The image format rendered.
    public let format: ImageFormat
    /// The gnuplot program, or `nil` if none is on the PATH.
    public let gnuplot: URL?

    /// How to get gnuplot, in one line.
    public static let installHint =
        "install it (Debian/Ubuntu: sudo apt-get install gnuplot-nox; macOS: brew install gnuplot; "
        + "Fedora: sudo dnf install gnuplot-minimal) or run `make lesson-N`, which installs it; "
        + "the scripts are written, so `gnuplot NAME.gp` in the output folder draws each figure afterwards"

    /// A renderer writing into `directory`, finding gnuplot on the PATH of `environment`.
    public init(
        directory: URL, format: ImageFormat = .png,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.directory = directory
        self.format = format
        self.gnuplot = Self.locateGnuplot(environment: environment)
    }

    /// The `gnuplot` executable on the PATH of `environment`, if there is one.
    public static func locateGnuplot(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("gnuplot")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Writes `NAME.gp` and `NAME.dat` for `figure` and returns what was written.
    @discardableResult
    public func writeScript(_ figure: Figure) throws -> GnuplotScript {
        let script = GnuplotScript(figure, format: format)
        try writeAtomically(script.data, to: directory.appendingPathComponent(GnuplotScript.dataFile(figure.name)))
        try writeAtomically(script.script, to: directory.appendingPathComponent(GnuplotScript.scriptFile(figure.name)))
        return script
    }

    /// Runs gnuplot on the already written `NAME.gp` and returns the image it made.
    ///
    /// - Throws: `FigureError.gnuplotMissing` or `.gnuplotFailed`; no partial image is left behind.
    @discardableResult
    public func render(_ name: String) throws -> URL {
        guard let gnuplot else { throw FigureError.gnuplotMissing }
        let image = directory.appendingPathComponent(GnuplotScript.imageFile(name, format))
        // The partial file keeps the image's extension: the script picks its terminal from it.
        let partial = ".\(image.deletingPathExtension().lastPathComponent).partial.\(image.pathExtension)"
        let process = Process()
        process.executableURL = gnuplot
        process.arguments = ["-e", "outfile='\(partial)'", GnuplotScript.scriptFile(name)]
        process.currentDirectoryURL = directory
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let partialURL = directory.appendingPathComponent(partial)
        do {
            // Registered, so that an interrupt of the lesson ends gnuplot too (Foundation starts it in a process group of
            // its own, which a terminal's Ctrl-C does not reach).
            try Interrupts.shared.run(process, gentle: false)
        } catch {
            throw FigureError.gnuplotFailed(script: GnuplotScript.scriptFile(name), message: "could not start \(gnuplot.path)")
        }
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        Interrupts.shared.finished(process)
        Interrupts.shared.holdIfInterrupted()
        guard process.terminationStatus == 0 else {
            try? FileManager.default.removeItem(at: partialURL)
            let text = String(decoding: output, as: UTF8.self)
            // gnuplot's warnings often carry the cause ("Cannot find or open file") and its last line the verdict.
            let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { $0.hasPrefix("\"") || $0.lowercased().contains("error") }
            let message = lines.isEmpty ? "exit status \(process.terminationStatus)" : lines.suffix(3).joined(separator: "; ")
            throw FigureError.gnuplotFailed(script: GnuplotScript.scriptFile(name), message: message)
        }
        // rename(2) replaces any older image in one step.
        guard rename(partialURL.path, image.path) == 0 else {
            let why = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: partialURL)
            throw FigureError.cannotWrite(path: image.path, reason: why.lowercased())
        }
        return image
    }
}
