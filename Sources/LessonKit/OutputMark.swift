import Crypto
import Foundation
import TextOutput

/// The mark the course leaves in every folder it writes, so that it replaces or removes only what it wrote.
///
/// The mark is a small text file, `.cf-lessons`, naming who wrote the folder (a lesson, or the course's contents
/// page) and listing each file written there with its SHA-256 digest. A folder may be replaced whole only when
/// it is empty, or when it is marked and holds exactly the files its mark lists, each unchanged; a file the
/// learner added or edited, a dotfile or a subfolder makes it theirs, and the course then says so and stops.
/// Nothing is ever judged by its name or extension.
public enum OutputMark {
    /// The mark's file name.
    public static let fileName = ".cf-lessons"

    /// What a mark says: who wrote the folder, and the digest of each file it wrote.
    public struct Contents: Equatable, Sendable {
        /// Who wrote the folder: `lesson-N`, or `course` for the contents page.
        public var owner: String
        /// File name → SHA-256 digest in lowercase hexadecimal.
        public var files: [String: String]
    }

    /// The SHA-256 digest of the file at `url` in lowercase hexadecimal, or nil if it cannot be read.
    static func digest(of url: URL) -> String? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Writes the mark into `folder`, listing `files` (by default every entry of the folder but the mark) with their digests.
    public static func write(in folder: URL, owner: String, files: [String]? = nil) throws {
        let names = try files ?? FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0 != fileName }
        var lines = [
            "cf-lessons output of \(owner)",
            "# The course replaces or removes this folder's files only while they are the ones listed here, unchanged."
        ]
        for name in names.sorted() {
            guard let digest = digest(of: folder.appendingPathComponent(name)) else { continue }
            lines.append("\(digest)  \(name)")
        }
        try writeAtomically(lines.joined(separator: "\n") + "\n", to: folder.appendingPathComponent(fileName))
    }

    /// The mark in `folder`, or nil if it has none (or one that is not the course's).
    public static func read(in folder: URL) -> Contents? {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(fileName).path) else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        let prefix = "cf-lessons output of "
        guard let first = lines.first, first.hasPrefix(prefix) else { return nil }
        var files = [String: String]()
        for line in lines.dropFirst() where !line.hasPrefix("#") {
            let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 64 else { return nil }
            files[String(parts[1].dropFirst())] = String(parts[0])
        }
        return Contents(owner: String(first.dropFirst(prefix.count)), files: files)
    }

    /// Whether `name` in `folder` is a file the mark lists, unchanged since the course wrote it.
    public static func isUnchanged(_ name: String, in folder: URL, mark: Contents?) -> Bool {
        guard let expected = mark?.files[name] else { return false }
        return digest(of: folder.appendingPathComponent(name)) == expected
    }

    /// Why the folder may not be replaced or removed whole, in words that end a sentence; nil when it may: it does
    /// not exist, is empty, or holds exactly the files its mark lists, each unchanged. `owner`, when given, is who
    /// must have written it (a lesson's output folder is never replaced by another lesson's run).
    public static func whyNotReplaceable(_ folder: URL, owner: String? = nil) -> String? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) else { return nil }
        guard isFolder.boolValue else { return "it is a file, not a folder" }
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            return "it cannot be listed (\(reason(of: error)))"
        }
        if entries.isEmpty { return nil }
        guard let mark = read(in: folder) else {
            // Only a hint, never a decision: an output written before the course marked its folders looks like this.
            let older =
                Set(entries).isSuperset(of: ["README.md", "results.json", "index.html"])
                ? " (an output of an earlier version of the course has no mark: if this is one, remove it and run again)" : ""
            return "it holds files (\(listed(entries.sorted()))) and no mark that the course wrote them, "
                + "and a lesson replaces its output folder whole" + older
        }
        if let owner, mark.owner != owner {
            return "it is the output of \(mark.owner), not of \(owner)"
        }
        let foreign = entries.filter { $0 != fileName && mark.files[$0] == nil }.sorted()
        if !foreign.isEmpty {
            return "it holds files the course did not write (\(listed(foreign))), and a lesson replaces its output folder whole"
        }
        let changed = entries.filter { $0 != fileName && !isUnchanged($0, in: folder, mark: mark) }.sorted()
        if !changed.isEmpty {
            return "files in it were changed since the course wrote them (\(listed(changed))), "
                + "and a lesson replaces its output folder whole"
        }
        return nil
    }

    /// The first few names of a list, and how many more.
    static func listed(_ names: [String]) -> String {
        let shown = names.prefix(3).joined(separator: ", ")
        return names.count > 3 ? shown + " and \(names.count - 3) more" : shown
    }
}
