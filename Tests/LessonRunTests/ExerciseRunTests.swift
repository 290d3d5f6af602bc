import Exercises
import Foundation
import LessonKit
import Numerics
import TestSupport
import Testing

/// The exercise workflow, through the built executables: the shipped placeholders, `--check`, `--solutions`, `course check`.
@Suite("exercises end to end")
struct ExerciseRunTests {
    @Test("every lesson: the shipped cells are not done and say so; --solutions --check is all ✓ with exit 0", arguments: Course.lessons)
    func checkEveryLesson(_ lesson: LessonInfo) throws {
        let exercises = CourseExercises.list(lesson.number)
        let open = try LessonRun.run(lesson.executable, ["--check"], output: false)
        defer { open.cleanUp() }
        #expect(open.status == 1, "\(open.stderr)")
        #expect(open.stdout.contains("0 of \(exercises.count) done and right"), "\(open.stdout)")
        for exercise in exercises {
            #expect(open.stdout.contains("· \(exercise.id)"), "\(exercise.id) is not listed as not done: \(open.stdout)")
        }
        let solved = try LessonRun.run(lesson.executable, ["--check", "--solutions"], output: false)
        defer { solved.cleanUp() }
        #expect(solved.status == 0, "\(solved.stdout)\(solved.stderr)")
        #expect(solved.stdout.contains("\(exercises.count) of \(exercises.count) done and right"))
        for exercise in exercises { #expect(solved.stdout.contains("✓ \(exercise.id)"), "\(solved.stdout)") }
    }

    @Test("a lesson with unfinished cells runs to the end on the course's versions, and its page lists the exercises")
    func placeholdersStillRun() throws {
        let run = try LessonRun.run("lesson-3", ["--no-plots"])
        defer { run.cleanUp() }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("`halfStep`, `objective` in Lessons/lesson-3/Cells.swift are not done"), "\(run.stdout.prefix(400))")
        let transcript = try String(contentsOf: run.output.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(transcript.contains("Write the cells in Lessons/lesson-3/Cells.swift") && transcript.contains("3.1 `halfStep`"))
        let page = try String(contentsOf: run.output.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(page.contains("Lessons/lesson-3/Cells.swift") && page.contains("--check"))
    }

    @Test("lesson 4 on the worked solution reproduces the notebook: 171 cells, first and final MSE to 9 digits")
    func lesson4Solution() throws {
        let run = try LessonRun.run("lesson-4", ["--solutions", "--no-plots"])
        defer { run.cleanUp() }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("uses the worked solutions"))
        #expect(try run.results()["observed_cells"] as? Int == 171)
        #expect(try run.number("loss_first_epoch").isApproximatelyEqual(to: 1.9731534485206352, relativeTolerance: 1e-9))
        #expect(try run.number("loss_final").isApproximatelyEqual(to: 0.0005330870259347341, relativeTolerance: 1e-9))
    }

    @Test("lessons 1-3 give the same numbers on the worked solutions as on the course's versions")
    func solutionsAgree() throws {
        for (lesson, key) in [("lesson-1", "score_star_wars"), ("lesson-2", "sse_listener_regressions"), ("lesson-3", "rmse_observed")] {
            let course = try LessonRun.run(lesson, ["--no-plots"]), solved = try LessonRun.run(lesson, ["--no-plots", "--solutions"])
            defer { course.cleanUp(); solved.cleanUp() }
            #expect(try solved.number(key).isApproximatelyEqual(to: try course.number(key), relativeTolerance: 1e-9), "\(lesson) \(key)")
        }
    }

    @Test("course check grades the whole course; the course list counts the cells written")
    func courseCheck() throws {
        let open = try LessonRun.run("course", ["check", "--no-build"], output: false)
        defer { open.cleanUp() }
        let total = Course.lessons.map { CourseExercises.list($0.number).count }.reduce(0, +)
        #expect(open.status == 1 && open.stdout.contains("0 of \(total) exercises done and right"), "\(open.stdout)\(open.stderr)")
        let solved = try LessonRun.run("course", ["check", "--no-build", "--solutions", "--from", "4", "--to", "5"], output: false)
        defer { solved.cleanUp() }
        #expect(solved.status == 0 && solved.stdout.contains("4 of 4 exercises done and right"), "\(solved.stdout)\(solved.stderr)")
        #expect(solved.stdout.contains("5.2") && solved.stdout.contains("gradients") && solved.stdout.contains("right"))
        // The list reads the cells of this package: the shipped ones are all placeholders.
        let text = try runProcess(try BuiltProducts.executable("course"), in: packageRoot).stdout
        #expect(text.contains("exercises right") && text.contains("written") && text.contains("0 / 3"), "\(text)")
    }
}
