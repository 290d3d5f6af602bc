// Where the package's built programs are: those of the build the tests themselves belong to.
import Foundation

/// The package's built executables (the lessons, `course`, `cf-bench`), from the configuration these tests were compiled
/// in: `swift test` runs the debug programs, `swift test -c release` the release ones, never the other build's.
public enum BuiltProducts {
    /// The configuration these tests were compiled in (SwiftPM defines DEBUG in debug builds only).
    #if DEBUG
        public static let configuration = "debug"
    #else
        public static let configuration = "release"
    #endif

    /// The folder that holds the executables, and how it was found; looked up once per test process.
    public static let folder: URL = located.folder
    public static let foundBy: String = located.how

    /// The executable `name` (`lesson-1`, `course`, `cf-bench`); an error that says how to build it when it is missing.
    public static func executable(_ name: String) throws -> URL {
        let url = folder.appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else { throw NotBuilt(name: name, path: url.path) }
        return url
    }

    /// A program the tests need is not in the build they run against.
    public struct NotBuilt: Error, CustomStringConvertible {
        public let name: String, path: String
        public var description: String {
            let build = BuiltProducts.configuration == "release" ? "swift build -c release" : "swift build"
            return "\(path) is not built: run `\(build)` first (make test does it for the debug build). The tests of the "
                + "\(BuiltProducts.configuration) build run the \(BuiltProducts.configuration) programs, found by \(BuiltProducts.foundBy)."
        }
    }

    private static let located: (folder: URL, how: String) = {
        // An explicit folder: another build's programs (an earlier commit's, to see a new test fail there).
        if let other = ProcessInfo.processInfo.environment["CF_TEST_PRODUCTS"], !other.isEmpty {
            return (URL(fileURLWithPath: other), "CF_TEST_PRODUCTS")
        }
        let arguments =
            ["swift", "build", "--show-bin-path", "--package-path", packageRoot.path]
            + (configuration == "release" ? ["-c", "release"] : [])
        let asked = "`" + arguments.joined(separator: " ") + "`"
        let reported = binPath(arguments)
        // The test bundle's own folder: the bin folder of the build the tests run from, whatever its --build-path or
        // --scratch-path. Only Linux names the running executable at /proc/self/exe; elsewhere there is none.
        let own = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let ownIsABinFolder =
            own.lastPathComponent == configuration
            && FileManager.default.fileExists(atPath: own.appendingPathComponent("cf-lessonsPackageTests.xctest").path)
        if let reported {
            // `swift build --show-bin-path` answers for the default build path (.build) only: tests built with a
            // --build-path of their own run that build's programs, never the default build's (perhaps stale) ones.
            if ownIsABinFolder && own.resolvingSymlinksInPath().path != reported.resolvingSymlinksInPath().path {
                return (own, "the test bundle's own folder (built outside .build, where \(asked) looks)")
            }
            return (reported, asked)
        }
        // `swift build --show-bin-path` prints the path without building and without waiting for the lock that a running
        // `swift test` holds on the build folder (checked with Swift 6.3); should it fail or not answer in time, say
        // where no `swift` is on the PATH, the programs are looked for beside the test bundle, then in the default
        // build path, .build/<configuration>.
        if ownIsABinFolder { return (own, "the test bundle's own folder (\(asked) did not answer)") }
        return (
            packageRoot.appendingPathComponent(".build").appendingPathComponent(configuration),
            ".build/\(configuration) (\(asked) did not answer)"
        )
    }()

    /// The folder `swift build --show-bin-path` prints (its last line), or nil if it fails or takes over 60 s.
    private static func binPath(_ arguments: [String]) -> URL? {
        guard let result = try? runProcess(URL(fileURLWithPath: "/usr/bin/env"), arguments, in: packageRoot, timeout: 60),
            result.reason == .exit, result.status == 0, !result.timedOut,
            let line = result.stdout.split(separator: "\n").last.map({ $0.trimmingCharacters(in: .whitespaces) }),
            line.hasPrefix("/")
        else { return nil }
        return URL(fileURLWithPath: line, isDirectory: true)
    }
}
