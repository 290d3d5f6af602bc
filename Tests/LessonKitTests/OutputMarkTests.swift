import Foundation
@testable import LessonKit
import TestSupport
import Testing
import TextOutput

@Suite("the course's mark on its output folders, and colour by the NO_COLOR convention (issue 22)")
struct OutputMarkTests {
    @Test("replaceable only when missing, empty, or marked and unchanged, whatever the files are called")
    func replaceable() throws {
        let dir = try temporaryFolder("cf-mark")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(OutputMark.whyNotReplaceable(dir.appendingPathComponent("new")) == nil)
        #expect(OutputMark.whyNotReplaceable(dir) == nil, "an empty folder")
        // Names a lesson writes too (README.md, scores.png) are no proof: without the mark the folder is the learner's.
        try Data("mine".utf8).write(to: dir.appendingPathComponent("README.md"))
        try Data("png".utf8).write(to: dir.appendingPathComponent("scores.png"))
        #expect(OutputMark.whyNotReplaceable(dir)?.contains("no mark that the course wrote them") == true)
        #expect(OutputMark.whyNotReplaceable(dir)?.contains("earlier version") == false)
        // An unmarked folder that looks like an older version's output gets a hint (and is still refused).
        let older = dir.appendingPathComponent("older")
        try FileManager.default.createDirectory(at: older, withIntermediateDirectories: true)
        for name in ["README.md", "results.json", "index.html"] { try Data("x".utf8).write(to: older.appendingPathComponent(name)) }
        #expect(
            OutputMark.whyNotReplaceable(older)?.hasSuffix(
                "(an output of an earlier version of the course has no mark: if this is one, remove it and run again)") == true)
        try FileManager.default.removeItem(at: older)
        try OutputMark.write(in: dir, owner: "lesson-1")
        #expect(OutputMark.read(in: dir)?.owner == "lesson-1" && OutputMark.read(in: dir)?.files.count == 2)
        #expect(OutputMark.whyNotReplaceable(dir) == nil)
        #expect(OutputMark.whyNotReplaceable(dir, owner: "lesson-2") == "it is the output of lesson-1, not of lesson-2")
        try Data(".".utf8).write(to: dir.appendingPathComponent(".hidden"))
        #expect(OutputMark.whyNotReplaceable(dir)?.contains("did not write (.hidden)") == true, "a dotfile is the learner's too")
        try FileManager.default.removeItem(at: dir.appendingPathComponent(".hidden"))
        try Data("edited".utf8).write(to: dir.appendingPathComponent("README.md"))
        #expect(OutputMark.whyNotReplaceable(dir)?.contains("changed since the course wrote them (README.md)") == true)
        // A mark that is not the course's (or is damaged) is no mark.
        try Data("something else\n".utf8).write(to: dir.appendingPathComponent(OutputMark.fileName))
        #expect(OutputMark.read(in: dir) == nil)
        let file = dir.appendingPathComponent("a-file")
        try Data().write(to: file)
        #expect(OutputMark.whyNotReplaceable(file) == "it is a file, not a folder")
    }

    @Test("an empty NO_COLOR does not turn colour off; a set one does (item 18)")
    func noColor() {
        #expect(Style(environment: [:], isTerminal: true).enabled)
        #expect(Style(environment: ["NO_COLOR": ""], isTerminal: true).enabled, "an empty NO_COLOR counts as unset")
        #expect(!Style(environment: ["NO_COLOR": "1"], isTerminal: true).enabled)
        #expect(!Style(environment: [:], isTerminal: false).enabled)
    }
}
