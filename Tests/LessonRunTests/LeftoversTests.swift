import Foundation
import TestSupport
import Testing

/// A TCP port on 127.0.0.1 that accepts connections (the kernel completes them) and never answers: a stalled server.
final class SilentServer {
    let socket: Int32
    let port: UInt16

    init() throws {
        let listener = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        let listening = bound == 0 && listen(listener, 8) == 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        socket = listener
        port = UInt16(bigEndian: address.sin_port)
        try #require(listening, "cannot listen on 127.0.0.1")
    }

    deinit { close(socket) }
}

/// A folder holding a stand-in `gnuplot` that records its process id in `pids` and then sleeps for 30 s.
func slowGnuplot(in folder: URL) throws -> (bin: URL, pids: URL) {
    let bin = folder.appendingPathComponent("bin"), pids = folder.appendingPathComponent("gnuplot.pids")
    try put("#!/bin/sh\necho $$ >> '\(pids.path)'\nexec sleep 30\n", "gnuplot", in: bin)
    chmod(bin.appendingPathComponent("gnuplot").path, 0o755)
    return (bin, pids)
}

/// The process ids a stand-in gnuplot wrote.
func recordedPIDs(_ file: URL) -> [Int32] {
    ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { Int32($0) }
}

@Suite("interrupts leave no process and no file behind (issue 22, items 7–9)", .serialized)
struct LeftoversTests {
    @Test("Ctrl-C ends gnuplot with the lesson, and with `course run` too")
    func gnuplotEnds() throws {
        let top = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: top) }
        let (bin, pids) = try slowGnuplot(in: top)
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = bin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["NO_COLOR"] = "1"
        for (program, arguments) in [
            ("lesson-1", ["--output", top.appendingPathComponent("one").path]),
            ("course", ["run", "--from", "1", "--to", "1", "--output", top.appendingPathComponent("site").path])
        ] {
            try? FileManager.default.removeItem(at: pids)
            let run = try LessonRun.start(program, arguments, in: top, environment: environment)
            #expect(run.wait(seconds: 30) { !recordedPIDs(pids).isEmpty }, "\(program): gnuplot never started")
            run.interrupt()
            let gnuplot = try #require(recordedPIDs(pids).first)
            // Before the fix the stand-in went on sleeping, adopted by init, after the lesson had ended.
            #expect(run.wait(seconds: 5) { !processExists(gnuplot) }, "\(program): gnuplot \(gnuplot) still runs after the interrupt")
            if processExists(gnuplot) { kill(gnuplot, SIGKILL) }
            #expect(run.terminationReason == .uncaughtSignal, "\(program) did not end by the signal")
            #expect(stagingFolders(in: top).isEmpty && stagingFolders(in: top.appendingPathComponent("site")).isEmpty)
        }
    }

    @Test("an interrupted download leaves no partial download, and a killed one's is removed by the next run")
    func interruptedDownload() throws {
        let top = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: top) }
        let cache = top.appendingPathComponent("cache")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        let server = try SilentServer()
        var environment = syntheticEnvironment(cache)
        environment["CF_MOVIELENS_URL"] = "http://127.0.0.1:\(server.port)/ml-100k.zip"
        let run = try LessonRun.start(
            "lesson-5", ["--output", top.appendingPathComponent("out").path, "--no-plots"], in: top,
            environment: environment)
        let partial = { ((try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? []).filter { $0.hasPrefix(".download-") } }
        #expect(run.wait(seconds: 20) { !partial().isEmpty }, "the download never started")
        run.interrupt()
        #expect(partial().isEmpty, "left in the cache: \(partial())")

        // Left by a run that was killed outright (its process is gone), and by an older version (no process id).
        try put("x", ".download-2147483646-0A1B/archive.zip", in: cache)
        try put("x", ".download-6F9619FF-8B86-D011-B42D-00C04FC964FF/archive.zip", in: cache)
        environment["CF_MOVIELENS_URL"] = "file:///nonexistent/ml-100k.zip"
        let next = try runProgram(
            "lesson-5",
            [
                "--output", top.appendingPathComponent("out2").path, "--no-plots", "--quiet",
                "--iterations", "1", "--epochs", "1"
            ], in: top, environment: environment)
        #expect(next.stderr.contains("SYNTHETIC"), "\(next.stderr)")
        #expect(partial().isEmpty, "stale partial downloads were kept: \(partial())")
    }

    @Test("a reader that goes away (`| head`) ends the lesson by SIGPIPE, with no staging folder left")
    func brokenPipe() throws {
        let top = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: top) }
        // The reader is gone before the first line: the pipe's reading end is closed as soon as the lesson starts.
        let lesson = try runProcess(
            try BuiltProducts.executable("lesson-1"), ["--output", top.appendingPathComponent("p7").path, "--no-plots"],
            in: top, standardOutput: .closedPipe, standardError: .discard)
        #expect(
            lesson.reason == .uncaughtSignal && lesson.status == SIGPIPE,
            "ended by \(lesson.reason == .exit ? "exit" : "signal") \(lesson.status)")
        #expect(stagingFolders(in: top).isEmpty, "left: \(stagingFolders(in: top))")
        #expect(!FileManager.default.fileExists(atPath: top.appendingPathComponent("p7").path))
    }
}
