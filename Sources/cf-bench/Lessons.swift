// cf-bench --write-shape and --lessons: data sets of MovieLens' published shapes, and the lessons run on one of them,
// each timed with its peak memory.

import ArgumentParser
import Foundation
import MovieLens
import TextOutput

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Bench {
    /// `--write-shape NAME --fraction F --to DIR`: writes the data set and says what it wrote.
    func runWriteShape(_ name: String) throws {
        guard let shape = MovieLensShape.named(name) else { throw ValidationError(unknownShape(name)) }
        guard let to else { throw ValidationError("--write-shape needs --to DIR, the folder to write the data set to") }
        let started = Date()
        let counts = try MovieLens.writeShaped(shape, fraction: fraction, seed: seed, to: URL(fileURLWithPath: to))
        print(
            "wrote \(to): MovieLens \(shape.name)'s shape at fraction \(fraction) (seed \(seed)): \(counts.users) users, "
                + "\(counts.movies) movies, \(counts.ratings) ratings, in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }

    /// `--lessons`: writes (or reuses) a data set of `--shape` at `--fraction`, runs each lesson's executable on it, and
    /// prints their wall times, peak memory and exit statuses.
    func runLessons() throws {
        guard let shape = MovieLensShape.named(lessonShape) else { throw ValidationError(unknownShape(lessonShape)) }
        let numbers = try lessonList()
        let counts = try shape.scaled(by: fraction)
        let folder = URL(fileURLWithPath: to ?? "output/cf-bench/ml-\(shape.name)-shape-\(fraction)-seed\(seed)").standardizedFileURL
        print(
            "cf-bench --lessons: lessons \(numbers.map(String.init).joined(separator: ", ")) on MovieLens \(shape.name)'s shape at "
                + "fraction \(fraction): \(counts.users) users, \(counts.movies) movies, \(counts.ratings) ratings; "
                + "\(isDebugBuild ? "DEBUG build (times are not representative)" : "release build")")
        if MovieLens.holdsShaped(shape, fraction: fraction, seed: seed, at: folder) {
            print("reusing \(folder.path)")
        } else {
            try FileManager.default.createDirectory(at: folder.deletingLastPathComponent(), withIntermediateDirectories: true)
            let started = Date()
            try MovieLens.writeShaped(shape, fraction: fraction, seed: seed, to: folder)
            print("wrote \(folder.path) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        }
        let binaries = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        var rows = [[String]]()
        for number in numbers {
            let executable = binaries.appendingPathComponent("lesson-\(number)")
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("cf-bench-lesson-\(number)-\(getpid())")
            defer { try? FileManager.default.removeItem(at: output) }
            let arguments = ["--data", folder.path, "--output", output.path, "--no-plots", "--quiet"]
            print("  lesson-\(number) …", terminator: "")
            fflush(nil)  // every stream: the line so far, before the lesson runs
            let run: ChildRun
            do {
                run = try runChild(executable, arguments, timeout: lessonTimeout)
            } catch {
                print(" not run")
                rows.append(["lesson-\(number)", "—", "—", "not run: \(error)"])
                continue
            }
            print(" \(formatSeconds(run.seconds)), \(formatMemory(run.peakBytes)), \(run.outcome)")
            rows.append(["lesson-\(number)", formatSeconds(run.seconds), formatMemory(run.peakBytes), run.outcome])
        }
        print("\n" + Table(header: ["lesson", "wall time", "peak memory", "exit"], rows: rows).text)
        print("Peak memory is each lesson process's maximum resident set (getrusage's ru_maxrss, read by wait4).")
    }

    /// The lessons `--lesson-numbers` names: MovieLens lessons, 5 to 10.
    func lessonList() throws -> [Int] {
        let parts = lessonNumbers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let numbers = parts.compactMap { Int($0) }
        guard !numbers.isEmpty, numbers.count == parts.count, numbers.allSatisfy({ (5...10).contains($0) }) else {
            throw ValidationError("--lesson-numbers takes lesson numbers from 5 to 10 separated by commas, such as 5,7,9, not \(lessonNumbers)")
        }
        return numbers
    }

    func unknownShape(_ name: String) -> String {
        "no MovieLens shape \(name): the shapes are \(MovieLensShape.published.map(\.name).joined(separator: ", "))"
    }
}

/// How a child process ended, how long it took and its peak resident memory.
struct ChildRun {
    let seconds: Double
    let peakBytes: Int
    /// "0", "exit 1: <its first line of standard error>", "killed by signal 9", "stopped after 900 s".
    let outcome: String
}

/// Runs `executable` with `arguments`, its standard output discarded and its standard error kept, and waits for it with
/// wait4, which gives its resource usage; past `timeout` seconds it is stopped (SIGTERM, then SIGKILL 5 s later).
func runChild(_ executable: URL, _ arguments: [String], timeout: Double) throws -> ChildRun {
    guard FileManager.default.isExecutableFile(atPath: executable.path) else {
        throw ValidationError("\(executable.path) is not built (swift build -c release)")
    }
    let errors = FileManager.default.temporaryDirectory.appendingPathComponent("cf-bench-stderr-\(getpid())")
    defer { try? FileManager.default.removeItem(at: errors) }
    #if canImport(Glibc)
        var actions = posix_spawn_file_actions_t()
    #else
        var actions: posix_spawn_file_actions_t?
    #endif
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, errors.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid = pid_t()
    let started = DispatchTime.now().uptimeNanoseconds
    let spawned = posix_spawn(&pid, executable.path, &actions, nil, argv, environ)
    guard spawned == 0 else { throw ValidationError("cannot start \(executable.path): \(String(cString: strerror(spawned)))") }
    var status: Int32 = 0, usage = rusage(), timedOut = false, ended: pid_t = 0
    let deadline = Double(started) / 1e9 + timeout
    while true {
        ended = wait4(pid, &status, WNOHANG, &usage)
        if ended == pid || (ended < 0 && errno != EINTR) { break }
        if !timedOut && Double(DispatchTime.now().uptimeNanoseconds) / 1e9 > deadline {
            timedOut = true
            kill(pid, SIGTERM)
            for _ in 0..<50 where wait4(pid, &status, WNOHANG, &usage) == 0 { usleep(100_000) }
            kill(pid, SIGKILL)
            while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
            break
        }
        usleep(20_000)
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    // ru_maxrss is in kilobytes on Linux, in bytes on macOS.
    #if canImport(Darwin)
        let peak = Int(usage.ru_maxrss)
    #else
        let peak = Int(usage.ru_maxrss) * 1024
    #endif
    let signal = status & 0x7F, code = (status >> 8) & 0xFF
    let firstLine =
        ((try? String(contentsOf: errors, encoding: .utf8)) ?? "")
        .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
        .map { excerpt($0, limit: 120) }
    let outcome: String
    if timedOut {
        outcome = "stopped after \(formatSeconds(timeout))"
    } else if signal != 0 {
        outcome = "killed by signal \(signal)" + (firstLine.map { ": \($0)" } ?? "")
    } else if code != 0 {
        outcome = "exit \(code)" + (firstLine.map { ": \($0)" } ?? "")
    } else {
        outcome = "0"
    }
    return ChildRun(seconds: seconds, peakBytes: peak, outcome: outcome)
}

/// Bytes in MB below a gigabyte, else in GB (1 MB = 2²⁰ bytes).
func formatMemory(_ bytes: Int) -> String {
    let megabytes = Double(bytes) / 1_048_576
    return megabytes < 1024 ? String(format: "%.0f MB", megabytes) : String(format: "%.2f GB", megabytes / 1024)
}
