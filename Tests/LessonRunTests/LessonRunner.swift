import Foundation
import Testing

/// Runs a built lesson executable in a fresh temporary folder and collects what it printed and wrote.
struct LessonRun {
    let status: Int32
    let stdout: String
    let stderr: String
    let folder: URL

    /// The folder that holds the built executables (the test bundle's own folder, or .build/debug).
    /// `CF_TEST_PRODUCTS` points the tests at other builds (an earlier commit's, to see a new test fail there).
    static let productsFolder: URL = {
        if let other = ProcessInfo.processInfo.environment["CF_TEST_PRODUCTS"], !other.isEmpty { return URL(fileURLWithPath: other) }
        let own = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        if FileManager.default.fileExists(atPath: own.appendingPathComponent("lesson-1").path) { return own }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug")
    }()

    /// Runs `lesson-N` (or `course`, `cf-bench`) with `arguments` (plus `--output <temporary>/out` unless `output` is false),
    /// in a new temporary folder, or in `directory` when given (which `cleanUp()` then removes: the caller's to keep or not).
    static func run(_ lesson: String, _ arguments: [String] = [], output: Bool = true,
                    environment: [String: String]? = nil, in directory: URL? = nil) throws -> LessonRun {
        let folder = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("cf-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let executable = productsFolder.appendingPathComponent(lesson)
        try #require(FileManager.default.isExecutableFile(atPath: executable.path),
                     "\(executable.path) is not built: run `swift build` first (make test does)")
        let process = Process()
        process.executableURL = executable
        process.arguments = (output ? ["--output", folder.appendingPathComponent("out").path] : []) + arguments
        process.currentDirectoryURL = folder
        var env = environment ?? ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes while the lesson runs, so a long transcript cannot fill a pipe and block it.
        nonisolated(unsafe) var errData = Data()
        let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        return LessonRun(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self), folder: folder)
    }

    /// The output folder the lesson wrote to.
    var output: URL { folder.appendingPathComponent("out") }

    /// The names of the files in the output folder.
    func files() throws -> Set<String> { Set(try FileManager.default.contentsOfDirectory(atPath: output.path)) }

    /// `results.json`, parsed.
    func results() throws -> [String: Any] {
        let data = try Data(contentsOf: output.appendingPathComponent("results.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func cleanUp() { try? FileManager.default.removeItem(at: folder) }
}

extension LessonRun {
    /// Checks a successful run: exit status 0, nothing on stderr, and for each figure its script, data and image.
    func expectSuccess(figures: [String]) throws {
        #expect(status == 0, "exit status \(status); stderr: \(stderr)")
        #expect(stderr.isEmpty, "stderr: \(stderr)")
        let written = try files()
        for name in ["README.md", "results.json"] { #expect(written.contains(name), "missing \(name)") }
        for name in figures {
            for ext in ["gp", "dat", "png"] { #expect(written.contains("\(name).\(ext)"), "missing \(name).\(ext)") }
        }
        #expect(!written.contains { $0.hasPrefix(".") && $0 != ".cf-lessons" }, "temporary files left: \(written)")
    }

    /// A number in results.json.
    func number(_ key: String) throws -> Double {
        try #require(try results()[key] as? Double, "results.json has no number \(key)")
    }
}
