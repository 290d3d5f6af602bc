import Foundation
import TestSupport
import Testing

/// Runs a built lesson executable in a fresh temporary folder and collects what it printed and wrote.
struct LessonRun {
    let status: Int32
    let stdout: String
    let stderr: String
    let folder: URL

    /// Runs `lesson-N` (or `course`, `cf-bench`) with `arguments` (plus `--output <temporary>/out` unless `output` is false),
    /// in a new temporary folder, or in `directory` when given (which `cleanUp()` then removes: the caller's to keep or not).
    /// The program is the one of the tests' own build (`BuiltProducts`); NO_COLOR is set, standard input is empty.
    static func run(
        _ lesson: String, _ arguments: [String] = [], output: Bool = true,
        environment: [String: String]? = nil, in directory: URL? = nil
    ) throws -> LessonRun {
        let executable = try BuiltProducts.executable(lesson)  // first: a program that is not built leaves no folder behind
        let folder = directory ?? temporaryPath("cf-run")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var env = environment ?? ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        let result = try runProcess(
            executable, (output ? ["--output", folder.appendingPathComponent("out").path] : []) + arguments,
            environment: env, in: folder)
        return LessonRun(status: result.status, stdout: result.stdout, stderr: result.stderr, folder: folder)
    }

    /// Starts a program of the course (`course`, `cf-bench` or a lesson) in the background with exactly `arguments`, in
    /// `folder`, its standard output read as it arrives and its standard error discarded.
    static func start(_ program: String, _ arguments: [String], in folder: URL, environment: [String: String]) throws -> ChildProcess {
        try ChildProcess(try BuiltProducts.executable(program), arguments, environment: environment, in: folder, standardError: .discard)
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
