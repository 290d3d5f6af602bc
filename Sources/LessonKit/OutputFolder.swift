import CFCore
import Figures
import Foundation
import TextOutput

/// A lesson's output folder, replaced whole at the end of a run.
///
/// A run writes into a hidden sibling folder and `publish` swaps it in with two renames, so the folder is
/// always the complete output of one run. Because the old folder is thrown away, only a folder that is empty
/// or carries the course's mark unchanged (`OutputMark`) may be replaced: never a folder of the learner's own files.
enum OutputFolder {
    /// Checks that `folder` is new, empty, or an earlier lesson output that may be replaced.
    ///
    /// - Throws: `LessonError.outputNotWritable` when it is a file, or holds anything the course did not write.
    static func checkReplaceable(_ folder: URL, displayPath: String) throws {
        if let why = OutputMark.whyNotReplaceable(folder) {
            throw LessonError.outputNotWritable(path: displayPath, reason: why + "; nothing was touched")
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
