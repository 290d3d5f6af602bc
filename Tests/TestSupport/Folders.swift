// Temporary folders, files written into them, and the package's own folder.
import Foundation

/// The package's root folder (for Package.swift, README.md, the lessons' cells), from this file's place in it:
/// Tests/TestSupport/Folders.swift.
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A new, unused path in the temporary folder, `name-<UUID>`; nothing is created there.
public func temporaryPath(_ name: String = "cf-test") -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
}

/// A new empty folder in the temporary folder, `name-<UUID>`: the caller removes it.
public func temporaryFolder(_ name: String = "cf-test") throws -> URL {
    let folder = temporaryPath(name)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

/// Writes `text` to `name` under `folder`, creating folders on the way.
public func put(_ text: String, _ name: String, in folder: URL) throws {
    let url = folder.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
}

/// A temporary folder with the given files (name → bytes), removed by `cleanUp`.
public struct Fixture {
    public let folder: URL

    public init(_ files: [String: [UInt8]], name: String = "cf-ml") throws {
        folder = try temporaryFolder(name)
        for (name, bytes) in files { try Data(bytes).write(to: folder.appendingPathComponent(name)) }
    }

    public init(text files: [String: String], name: String = "cf-ml") throws {
        try self.init(files.mapValues { Array($0.utf8) }, name: name)
    }

    public func cleanUp() { try? FileManager.default.removeItem(at: folder) }
}
