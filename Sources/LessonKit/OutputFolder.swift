import CFCore
import Figures
import Foundation
import TextOutput

/// A lesson's output folder, replaced whole at the end of a run.
///
/// A run writes into a hidden sibling folder and `publish` swaps it in with two renames, so the folder is
/// always the complete output of one run. Because the old folder is thrown away, only a folder that holds
/// nothing but what a lesson writes may be replaced: never a folder of the learner's own files.
enum OutputFolder {
    /// The kinds of file a lesson writes: scripts, data, images, transcript, page and results.
    static let lessonExtensions: Set<String> = ["gp", "dat", "png", "svg", "pdf", "md", "json", "html"]

    /// Checks that `folder` is new, empty, or an earlier lesson output that may be replaced.
    ///
    /// - Throws: `LessonError.outputNotWritable` when it is a file, or holds files no lesson writes.
    static func checkReplaceable(_ folder: URL, displayPath: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) else { return }
        guard isFolder.boolValue else {
            throw LessonError.outputNotWritable(path: displayPath, reason: "it is a file, not a folder")
        }
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw LessonError.outputNotWritable(path: displayPath, reason: "cannot list it (\(reason(of: error)))")
        }
        let foreign = entries.filter { !$0.hasPrefix(".") && !lessonExtensions.contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
        if let first = foreign.first {
            throw LessonError.outputNotWritable(path: displayPath, reason: """
                it holds files a lesson did not write (\(first)\(foreign.count > 1 ? " and \(foreign.count - 1) more" : "")), \
                and a lesson replaces its output folder whole
                """)
        }
    }

    /// Removes staging folders of runs that were killed outright (their process no longer exists).
    static func removeAbandoned(in parent: URL, name: String) {
        let prefixes = [".\(name).incomplete-", ".\(name).previous-"]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? [] {
            guard let prefix = prefixes.first(where: entry.hasPrefix), let pid = Int32(entry.dropFirst(prefix.count)) else { continue }
            if pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(at: parent.appendingPathComponent(entry))
            }
        }
    }

    /// Puts the finished run in `staging` in place of `target`, keeping the old output until the new one is in.
    static func publish(_ staging: URL, as target: URL, displayPath: String) throws {
        let previous = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).previous-\(getpid())")
        try? FileManager.default.removeItem(at: previous)
        let hadPrevious = FileManager.default.fileExists(atPath: target.path)
        if hadPrevious {
            guard rename(target.path, previous.path) == 0 else {
                throw LessonError.outputNotWritable(path: displayPath, reason: "cannot replace it: " + String(cString: strerror(errno)).lowercased())
            }
        }
        guard rename(staging.path, target.path) == 0 else {
            let why = String(cString: strerror(errno)).lowercased()
            if hadPrevious { _ = rename(previous.path, target.path) }
            throw LessonError.outputNotWritable(path: displayPath, reason: "cannot move the new output into place: \(why)")
        }
        if hadPrevious { try? FileManager.default.removeItem(at: previous) }
    }
}
