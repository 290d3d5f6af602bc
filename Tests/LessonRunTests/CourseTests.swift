import Exercises
import Foundation
import LessonKit
import TestSupport
import Testing

@Suite("the course runner")
struct CourseTests {
    @Test("the lesson list matches the lesson targets of Package.swift, and the README shows the generated table")
    func oneList() throws {
        let manifest = try String(contentsOf: packageRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        let line = try #require(manifest.split(separator: "\n").first { $0.hasPrefix("let lessonNumbers = [") })
        let numbers = line.drop { $0 != "[" }.dropFirst().prefix { $0 != "]" }.split(separator: ",")
            .map { Int($0.trimmingCharacters(in: .whitespaces))! }
        #expect(numbers == Course.lessons.map(\.number))
        for lesson in Course.lessons {
            #expect(FileManager.default.fileExists(atPath: packageRoot.appendingPathComponent("Lessons/\(lesson.executable)/main.swift").path))
        }
        let readme = try String(contentsOf: packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains(Course.markdownTable), "README.md's lesson table is not `swift run course readme-table`'s")
        #expect(readme.contains(CourseExercises.markdownTable), "README.md's exercise table is not `swift run course readme-table`'s")
    }

    @Test("`course run --from 1 --to 2` runs both, writes pages whose images and links resolve, with no network URL")
    func runAndPages() throws {
        let run = try LessonRun.run("course", ["run", "--from", "1", "--to", "2", "--output", "out"], output: false)
        defer { run.cleanUp() }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("▶ Lesson 1") && run.stdout.contains("▶ Lesson 2") && !run.stdout.contains("▶ Lesson 3"))
        let root = run.folder.appendingPathComponent("out")
        let pages = [
            root.appendingPathComponent("index.html"), root.appendingPathComponent("lesson-1/index.html"),
            root.appendingPathComponent("lesson-2/index.html"), root.appendingPathComponent("figures.html")
        ]
        for page in pages {
            let html = try String(contentsOf: page, encoding: .utf8)
            #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("src=\"//"), "\(page.path) refers to the network")
            for target in references(in: html) {
                let resolved = page.deletingLastPathComponent().appendingPathComponent(target).standardizedFileURL
                // Links to lessons that were not run (lesson 3 from lesson 2) are the only ones allowed to dangle.
                if target.contains("lesson-3") { continue }
                #expect(FileManager.default.fileExists(atPath: resolved.path), "\(page.lastPathComponent): \(target) does not resolve")
            }
        }
        let lesson1 = try String(contentsOf: pages[1], encoding: .utf8)
        #expect(lesson1.contains("<figure><img src=\"scores.png\"") && lesson1.contains("<table>"))
        #expect(lesson1.contains("href=\"../lesson-2/index.html\"") && lesson1.contains("href=\"../index.html\""))
        // The contact sheet: every figure of both lessons with its script and data, linked from the contents page.
        let sheet = try String(contentsOf: pages[3], encoding: .utf8)
        for figure in ["lesson-1/scores", "lesson-1/movie-factors", "lesson-2/ratings", "lesson-2/fitted-vs-actual"] {
            #expect(
                sheet.contains("<img src=\"\(figure).png\"") && sheet.contains("href=\"\(figure).gp\"") && sheet.contains("href=\"\(figure).dat\""), "\(figure)"
            )
        }
        #expect(try String(contentsOf: pages[0], encoding: .utf8).contains("href=\"figures.html\""))
        #expect(OutputMark.read(in: root)?.files.keys.contains("figures.html") == true)
    }

    @Test("a failing lesson stops the run with its one-line error")
    func failure() throws {
        let blocker = temporaryPath("cf-course")
        try Data("file".utf8).write(to: blocker)
        defer { try? FileManager.default.removeItem(at: blocker) }
        let run = try LessonRun.run("course", ["run", "--to", "2", "--output", blocker.path], output: false)
        defer { run.cleanUp() }
        #expect(run.status != 0)
        #expect(run.stderr.contains("lesson 1 failed") && run.stderr.contains("cannot write to the output folder"), "\(run.stderr)")
        #expect(!run.stdout.contains("▶ Lesson 2"))
    }

    @Test("doctor says clearly when gnuplot is missing; clean removes only generated output")
    func doctorAndClean() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = "/nonexistent"
        let doctor = try LessonRun.run("course", ["doctor", "--output", "out"], output: false, environment: environment)
        defer { doctor.cleanUp() }
        #expect(doctor.status == 1)
        #expect(doctor.stdout.contains("✗ gnuplot is not on the PATH") && doctor.stdout.contains("apt-get install gnuplot"))
        #expect(doctor.stdout.contains("✓ the output folder out/ is writable"))

        let setup = try LessonRun.run("course", ["run", "--from", "1", "--to", "1", "--output", "out"], output: false)
        defer { setup.cleanUp() }
        let root = setup.folder.appendingPathComponent("out")
        try Data("keep me".utf8).write(to: root.appendingPathComponent("README.md"))
        let clean = try runProcess(try BuiltProducts.executable("course"), ["clean", "--output", root.path], standardOutput: .discard)
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["README.md"])
    }

    /// Every src= and href= value in a page.
    func references(in html: String) -> [String] {
        var found = [String]()
        for attribute in ["src=\"", "href=\""] {
            var rest = html[...]
            while let start = rest.range(of: attribute) {
                let tail = rest[start.upperBound...]
                guard let end = tail.firstIndex(of: "\"") else { break }
                found.append(String(tail[..<end]))
                rest = tail[end...]
            }
        }
        return found
    }
}
