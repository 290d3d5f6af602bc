import Foundation
import TestSupport
import Testing

/// Runs a program of the course (`course`, `cf-bench` or a lesson) with exactly `arguments`, in `folder`.
func runProgram(_ program: String, _ arguments: [String], in folder: URL, environment: [String: String]? = nil) throws -> LessonRun {
    try LessonRun.run(program, arguments, output: false, environment: environment, in: folder)
}

/// Every file under `folder` (relative paths, dotfiles and subfolders included) with its contents.
func snapshot(_ folder: URL) -> [String: Data] {
    var found = [String: Data]()
    guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return found }
    while let path = walker.nextObject() as? String {
        if let data = FileManager.default.contents(atPath: folder.appendingPathComponent(path).path) { found[path] = data }
    }
    return found
}

@Suite("nothing the learner made is deleted or overwritten (issue 22, items 1–3)")
struct LearnersFilesTests {
    @Test("--output refuses a folder of the learner's own files, dotfiles and all, and touches nothing")
    func foreignOutputFolder() throws {
        let top = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: top) }
        let mine = top.appendingPathComponent("u")
        // Before the fix, a .md, a .pdf and a .git folder all passed the extension check and were replaced whole.
        try put("n", "notes.md", in: mine)
        try put("t", "thesis.pdf", in: mine)
        try put("x", ".git/HEAD", in: mine)
        let before = snapshot(mine)
        let run = try runProgram("lesson-1", ["--quiet", "--output", mine.path], in: top)
        expectOneLineError(run, "holds files (.git, notes.md, thesis.pdf) and no mark that the course wrote them")
        #expect(snapshot(mine) == before, "the learner's folder changed")
        #expect(stagingFolders(in: top).isEmpty)

        // `--output .` in a folder of notes: the same refusal.
        let dot = try runProgram("lesson-1", ["--quiet", "--output", "."], in: mine)
        expectOneLineError(dot, "no mark that the course wrote them")
        #expect(snapshot(mine) == before)
    }

    @Test("a lesson replaces its own earlier output, but not once the learner added or edited a file in it")
    func markedOutputFolder() throws {
        let top = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: top) }
        let out = top.appendingPathComponent("out")
        let first = try runProgram("lesson-1", ["--quiet", "--no-plots", "--output", out.path], in: top)
        #expect(first.status == 0, "\(first.stderr)")
        let mark = try String(contentsOf: out.appendingPathComponent(".cf-lessons"), encoding: .utf8)
        #expect(mark.hasPrefix("cf-lessons output of lesson-1\n") && mark.contains("  results.json\n"), "\(mark)")
        let again = try runProgram("lesson-1", ["--quiet", "--no-plots", "--output", out.path], in: top)
        #expect(again.status == 0, "an unchanged earlier output is replaced: \(again.stderr)")
        // An empty folder is fine too.
        let empty = top.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        #expect(try runProgram("lesson-1", ["--quiet", "--no-plots", "--output", empty.path], in: top).status == 0)

        try put("my changes", "scores.gp", in: out)
        let edited = try runProgram("lesson-1", ["--quiet", "--no-plots", "--output", out.path], in: top)
        expectOneLineError(edited, "files in it were changed since the course wrote them (scores.gp)")
        #expect(try String(contentsOf: out.appendingPathComponent("scores.gp"), encoding: .utf8) == "my changes")

        let second = top.appendingPathComponent("second")
        #expect(try runProgram("lesson-1", ["--quiet", "--no-plots", "--output", second.path], in: top).status == 0)
        try put("mine", "slides.key", in: second)
        let added = try runProgram("lesson-1", ["--quiet", "--no-plots", "--output", second.path], in: top)
        expectOneLineError(added, "it holds files the course did not write (slides.key)")
        #expect(FileManager.default.fileExists(atPath: second.appendingPathComponent("slides.key").path))
    }

    @Test("course clean removes only what carries the course's mark, and says what it left and why")
    func clean() throws {
        let top = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: top) }
        let site = top.appendingPathComponent("site")
        try put("notes", "lesson-2/notes.txt", in: site)
        try put("<h1>home</h1>", "index.html", in: site)
        let before = snapshot(site)
        let refused = try runProgram("course", ["clean", "--output", site.path], in: top)
        #expect(refused.status == 0, "\(refused.stderr)")
        #expect(snapshot(site) == before, "course clean removed the learner's files")
        #expect(
            refused.stdout.contains("Left as they are") && refused.stdout.contains("lesson-2/ (it holds files (notes.txt)")
                && refused.stdout.contains("index.html (was not written by the course"), "\(refused.stdout)")

        // What the course wrote goes; what the learner put beside it stays.
        let course = top.appendingPathComponent("course")
        let ran = try runProgram("course", ["run", "--from", "1", "--to", "2", "--output", course.path], in: top)
        #expect(ran.status == 0, "\(ran.stderr)")
        try put("keep me", "README.md", in: course)
        try put("mine", "lesson-2/extra.txt", in: course)
        let cleaned = try runProgram("course", ["clean", "--output", course.path], in: top)
        #expect(cleaned.stdout.contains("Removed from \(course.path)/: lesson-1/, index.html, figures.html."), "\(cleaned.stdout)")
        #expect(cleaned.stdout.contains("lesson-2/ (it holds files the course did not write (extra.txt))"), "\(cleaned.stdout)")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: course.path)) == ["README.md", "lesson-2"])
    }

    @Test("course run never overwrites an index.html it did not write, and refuses an empty --output")
    func courseIndex() throws {
        let top = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: top) }
        let site = top.appendingPathComponent("s2")
        try put("<h1>mine</h1>", "index.html", in: site)
        let run = try runProgram("course", ["run", "--from", "1", "--to", "1", "--output", site.path], in: top)
        expectOneLineError(run, "index.html was not written by the course, or was changed since")
        #expect(try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8) == "<h1>mine</h1>")
        #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent("lesson-1").path), "a lesson ran anyway")

        let empty = try runProgram("course", ["run", "--from", "1", "--to", "1", "--output", ""], in: top)
        expectOneLineError(empty, "--output needs a folder name", status: 64)
        #expect(try FileManager.default.contentsOfDirectory(atPath: top.path) == ["s2"], "an empty --output wrote into the current folder")
    }
}
