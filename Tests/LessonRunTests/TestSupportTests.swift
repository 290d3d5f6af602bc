// The shared test support the end-to-end tests stand on: which programs they run, and how they run them.
import Foundation
import TestSupport
import Testing

@Suite("test support: the built programs, and running a program")
struct TestSupportTests {
    @Test("the programs run are those of the tests' own build (debug, or release under `swift test -c release`); a missing one says how to build it")
    func builtProducts() throws {
        if ProcessInfo.processInfo.environment["CF_TEST_PRODUCTS"]?.isEmpty ?? true {
            #expect(
                BuiltProducts.folder.lastPathComponent == BuiltProducts.configuration,
                "\(BuiltProducts.folder.path), found by \(BuiltProducts.foundBy), is not a \(BuiltProducts.configuration) build")
        }
        #expect(FileManager.default.isExecutableFile(atPath: try BuiltProducts.executable("lesson-1").path))
        let missing = #expect(throws: BuiltProducts.NotBuilt.self) { try BuiltProducts.executable("lesson-0") }
        let build = BuiltProducts.configuration == "release" ? "`swift build -c release`" : "`swift build`"
        #expect(missing?.description.contains("lesson-0 is not built: run \(build) first") == true, "\(String(describing: missing))")
    }

    @Test("runProcess passes arguments, environment, folder and input, and keeps standard output, error and exit status apart")
    func runsAProgram() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var environment = ProcessInfo.processInfo.environment
        environment["CF_SUPPORT_CHECK"] = "seen"
        let run = try runProcess(
            URL(fileURLWithPath: "/bin/sh"), ["-c", "pwd; echo \"$CF_SUPPORT_CHECK $0\"; cat; echo oops >&2; exit 3", "arg"],
            environment: environment, in: folder, input: .data(Data("line 1\nline 2\n".utf8)))
        #expect(run.reason == .exit && run.status == 3 && !run.timedOut)
        #expect(run.stdout == "\(folder.resolvingSymlinksInPath().path)\nseen arg\nline 1\nline 2\n", "\(run.stdout)")
        #expect(run.stderr == "oops\n")
        // Standard error into standard output, in the order written; no input is an empty one.
        let merged = try runProcess(URL(fileURLWithPath: "/bin/sh"), ["-c", "echo one; echo two >&2; cat; echo three"], standardError: .intoStandardOutput)
        #expect(merged.stdout == "one\ntwo\nthree\n" && merged.stderr.isEmpty && merged.status == 0, "\(merged.stdout)")
    }

    @Test("a time limit stops a program that does not end, and says so")
    func timeLimit() throws {
        let started = Date()
        let run = try runProcess(URL(fileURLWithPath: "/bin/sleep"), ["30"], timeout: 0.5)
        // SIGTERM first, SIGKILL 5 s later: a program started from a test's thread inherits that thread's mask, in which
        // libdispatch's worker threads block SIGTERM (and SIGINT, SIGPIPE…), so `sleep` outlives the SIGTERM there.
        #expect(run.timedOut && run.reason == .uncaughtSignal && [SIGTERM, SIGKILL].contains(run.status), "ended by \(run.status)")
        #expect(Date().timeIntervalSince(started) < 10)
    }
}
