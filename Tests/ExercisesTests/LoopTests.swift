// The exercise loop's parts: grading that knows which cell is wrong, crash reports, a cell's own output, the gradient
// table, worked cases and placeholders that match the shipped Cells.swift.
import CFCore
import Exercises
import Foundation
import LessonKit
import Solutions
import TestSupport
import Testing

/// The outcome of one exercise with a given status, for the tests of `waitingForCalledCells`.
func outcome(_ id: String, _ status: CheckOutcome.Status) -> CheckOutcome {
    let lesson = Int(id.split(separator: ".")[0])!
    let info = CourseExercises.list(lesson).first { $0.id == id }!
    return CheckOutcome(info: info, status: status, message: status == CheckOutcome.Status.wrong ? "on a case: J should be 1, but it is 2" : "…")
}

@Suite("exercises: the loop's parts")
struct LoopTests {
    @Test("a cell that calls an earlier cell that is not right waits for it; otherwise its own grade stands")
    func waitingForCalledCells() {
        let callsScore = [
            "scoreMatrix":
                "func scoreMatrix(users: Matrix, movies: Matrix) throws -> Matrix {\n s[u, m] = try score(tastes: users.row(u), factors: movies.row(m))\n}"
        ]
        // 1.2 is wrong only because 1.1 is.
        var result = ExerciseChecker.waitingForCalledCells([outcome("1.1", .wrong), outcome("1.2", .wrong)], bodies: callsScore)
        #expect(result[1].status == .waiting && result[1].message.contains("fix 1.1 first"), "\(result[1].message)")
        #expect(result[0].status == .wrong)
        // 1.2 written with `*`, not calling score: its own grade stands.
        let product = ["scoreMatrix": "func scoreMatrix(users: Matrix, movies: Matrix) throws -> Matrix {\n users * movies.transposed // a score of zero\n}"]
        result = ExerciseChecker.waitingForCalledCells([outcome("1.1", .wrong), outcome("1.2", .wrong)], bodies: product)
        #expect(result[1].status == .wrong)
        // 5.3 written, 5.2 not: 5.3 says to write 5.2 first (not "not done yet"), and no misleading hint of its own.
        let step = [
            "gradientStep":
                "func gradientStep(…) throws {\n let g = try gradients(ratings, features: x, preferences: theta, lambda: lambda)\n x = x - alpha * g.features\n}"
        ]
        result = ExerciseChecker.waitingForCalledCells([outcome("5.1", .right), outcome("5.2", .notDone), outcome("5.3", .notDone)], bodies: step)
        #expect(result[2].status == .waiting && result[2].message.contains("write 5.2 first"), "\(result[2].message)")
        // 5.2 wrong (its gradients in the wrong order made 5.3 crash): 5.3 waits.
        result = ExerciseChecker.waitingForCalledCells([outcome("5.1", .right), outcome("5.2", .wrong), outcome("5.3", .wrong)], bodies: step)
        #expect(result[2].status == .waiting && result[2].message.contains("fix 5.2 first"))
        // 5.2 right and 5.3 wrong: 5.3 is wrong.
        result = ExerciseChecker.waitingForCalledCells([outcome("5.1", .right), outcome("5.2", .right), outcome("5.3", .wrong)], bodies: step)
        #expect(result[2].status == .wrong)
        // A name inside another word is no call: `mygradients(` does not call `gradients`.
        result = ExerciseChecker.waitingForCalledCells(
            [outcome("5.1", .right), outcome("5.2", .wrong), outcome("5.3", .wrong)],
            bodies: ["gradientStep": "func gradientStep(…) { mygradients(1) }"])
        #expect(result[2].status == .wrong)
    }

    /// What the Swift runtime printed when a lesson-1 cell indexed past an array (optimized, frame pointers kept).
    static let indexCrash = """
        *** Signal 4: Backtracing from 0x55e8be199742... done ***
        *** Program crashed: Illegal instruction at 0x000055e8be199742 ***
        Thread 0 "lesson-1" crashed:
          0 [inlined] [system]      0x000055e8be199742 specialized Array.subscript.getter in lesson-1 at //<compiler-generated>
          1                         0x000055e8be199742 specialized YourCells.score(tastes:factors:) + 386 in lesson-1 at /work/main/Lessons/lesson-1/Cells.swift:25:61
          2 [ra] [thunk]            0x000055e8be199579 protocol witness for Lesson1Cells.score(tastes:factors:) in conformance YourCells + 8 in lesson-1 at //<compiler-generated>:22:10
          3 [ra]                    0x000055e8be0d04b0 Grader.grade() + 3023 in lesson-1 at /work/main/Sources/LessonKit/Exercises/Grader.swift:149:29
        """
    /// A shape check of the core failing inside a cell.
    static let shapeCrash = """
        CFCore/Matrix.swift:94: Fatal error: cannot multiply 3×4 by 6×3
        *** Program crashed: Illegal instruction at 0x00007f18b48f9361 ***
          0      0x00007feb290f9361 _assertionFailure(_:_:file:line:flags:) + 225 in libswiftCore.so
          1 [ra] 0x000055573943f23c static Matrix.* infix(_:_:) + 283 in lesson-1 at /work/main/Sources/CFCore/Matrix.swift:94:62
          2 [ra] 0x000055573943f2cf YourCells.scoreMatrix(users:movies:) + 142 in lesson-1 at /work/main/Lessons/lesson-1/Cells.swift:36:22
        """

    @Test("a crash is reported with the runtime's message and the line of Cells.swift, and guesses only when nothing is known")
    func crashReports() {
        let index = CrashReport(Self.indexCrash, cellsFile: "Cells.swift")
        #expect(index.message == "an index outside an array")
        #expect(index.place == "Cells.swift:25 (in score)")
        let shape = CrashReport(Self.shapeCrash, cellsFile: "Cells.swift")
        #expect(shape.message == "cannot multiply 3×4 by 6×3")
        #expect(shape.place == "Cells.swift:36 (in scoreMatrix)")
        let todo = CrashReport("Lessons/lesson-1/Cells.swift:20: Fatal error: TODO\n", cellsFile: "Cells.swift")
        #expect(todo.message == "TODO")
        let overflow = CrashReport("*** Swift runtime failure: arithmetic overflow ***\n", cellsFile: "Cells.swift")
        #expect(overflow.message == "arithmetic overflow" && overflow.place == nil)

        let crashed = IsolatedRun(ending: .signalled(4), stdout: "", stderr: Self.shapeCrash).failure(timeLimit: 30)
        #expect(crashed == "it crashed: cannot multiply 3×4 by 6×3 at Cells.swift:36 (in scoreMatrix)", "\(crashed)")
        #expect(!crashed.contains("usual cause"), "no guess when the message is known")
        let unknown = IsolatedRun(ending: .signalled(11), stdout: "", stderr: "").failure(timeLimit: 30)
        #expect(unknown.contains("signal 11") && unknown.contains("usual cause"))
    }

    @Test("what a cell prints reaches the report, capped, and the answer line is not part of it")
    func printPassthrough() {
        let info = CourseExercises.list(1)[0]
        let printed = (1...20).map { "line \($0)" }.joined(separator: "\n")
        let run = IsolatedRun(
            ending: .exited(0), stdout: printed + "\ncf-check-outcome\t{  \"status\": \"wrong\",  \"message\": \"J should be 1\\nsecond line\"}\n", stderr: "")
        let outcome = ExerciseChecker.outcome(of: run, exercise: info)
        #expect(outcome.status == .wrong && outcome.message == "J should be 1\nsecond line")
        #expect(outcome.printed.count == 20 && outcome.printed.first == "line 1")
        let report = ExerciseChecker.report([outcome])
        #expect(report.contains("your score printed:") && report.contains("│ line 12") && !report.contains("│ line 13"))
        #expect(report.contains("… and 8 more lines") && report.contains("\n       second line"), "\(report)")
        // A crash after printing keeps what was printed.
        let crash = ExerciseChecker.outcome(of: IsolatedRun(ending: .signalled(4), stdout: "before the crash\n", stderr: Self.indexCrash), exercise: info)
        #expect(crash.printed == ["before the crash"] && crash.message.contains("Cells.swift:25"))
    }

    @Test("a wrong gradients cell shows its gradients beside J's finite differences, with the wrong ones marked")
    func gradientTable() throws {
        let r = Lesson5Exercises.reference
        let zeroTheta = Lesson5Closures(
            cost: r.cost,
            gradients: { ratings, x, theta, lambda in
                let right = try r.gradients(ratings, features: x, preferences: theta, lambda: lambda)
                return (right.features, Matrix(rows: theta.rows, columns: theta.columns))
            }, gradientStep: r.gradientStep)
        let message = ExerciseChecker.checkHere(zeroTheta.exercises()[1]).message
        #expect(message.contains("your gradients beside the finite differences"), "\(message)")
        let rows = message.split(separator: "\n").filter { $0.contains("[") && ($0.contains("X[") || $0.contains("Θ[")) }
        #expect(rows.contains { $0.contains("Θ[0, 0]") && $0.hasSuffix("✗") } && rows.contains { $0.contains("X[0, 0]") && !$0.hasSuffix("✗") }, "\(rows)")
        // Worked by hand: ∂J/∂X = [[-5], [2]], ∂J/∂Θ = [[-1], [1]].
        let table = try Lesson5Exercises.gradientTable(
            try Ratings(dense: [[5, nil], [1, 2]]), features: Matrix([[1], [2]]), preferences: Matrix([[2], [1]]),
            lambda: 1, cost: r.cost, gradients: r.gradients)
        let cells = table.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(cells.contains(["X[0,", "0]", "-5.0", "-5.0"]) && cells.contains(["Θ[1,", "0]", "1.0", "1.0"]) && !table.contains("✗"), "\(table)")
    }

    @Test("a failure on a small case shows its inputs, to redo by hand; the worked case comes first")
    func failingCaseShown() {
        let wrong = Lesson1Closures(score: { a, b in zip(a, b).reduce(0) { $0 + $1.0 + $1.1 } }, scoreMatrix: Lesson1Closures.solutions.scoreMatrix)
        let message = ExerciseChecker.checkHere(wrong.exercises(users: lesson1Users, movies: lesson1Movies)[0]).message
        #expect(message.hasPrefix("on score(tastes: [1, 2], factors: [3, 4]) = 11: the score should be 11"), "\(message)")
        #expect(message.contains("tastes = [1, 2]") && message.contains("factors = [3, 4]"))
        let right = ExerciseChecker.checkHere(Lesson1Closures.solutions.exercises(users: lesson1Users, movies: lesson1Movies)[0]).message
        #expect(right.contains("the first the worked case score(tastes: [1, 2], factors: [3, 4]) = 11"))
    }

    @Test("the shipped Cells.swift holds each cell's placeholder (what course reset writes) and its worked case")
    func shippedCells() throws {
        let exercises = try allExercises(.solutions, .solutions, .solutions, .solutions, .solutions, .solutions, .solutions, .solutions, .solutions)
        for exercise in exercises {
            let lesson = Int(exercise.info.id.split(separator: ".")[0])!
            let text = try String(contentsOf: packageRoot.appendingPathComponent(Course.cellsFile(lesson)), encoding: .utf8)
            #expect(CellSource.isPlaceholder(exercise.info.function, in: text, placeholder: exercise.info.placeholder), "\(exercise.info.id)")
            #expect(exercise.info.hints.count >= 3, "\(exercise.info.id): the placeholder's line and at least two more steps")
            let worked = try #require(exercise.workedCase, "\(exercise.info.id) has a worked case")
            #expect(CellSource.workedCase(of: exercise.info.function, in: text) == worked, "\(exercise.info.id): the comment should say \(worked)")
            let solutions = try String(contentsOf: packageRoot.appendingPathComponent(Course.solutionsFile(lesson)), encoding: .utf8)
            #expect(CellSource.function(exercise.info.function, in: solutions) != nil, "\(exercise.info.id)'s worked solution can be shown")
        }
    }

    @Test("an error of a learner's cell during a lesson run names the cell and its file; the course's cells are not blamed")
    func errorsNameTheCell() throws {
        struct Singular: Error, CustomStringConvertible { var description: String { "the system is singular: add an L2 penalty (λ > 0)" } }
        let failing = Lesson3Closures(halfStep: { _, _, _, _ in throw Singular() }, objective: Lesson3Closures.solutions.objective)
        let ratings = try Ratings(dense: [[4, nil], [2, 2]])
        let error = #expect(throws: CellError.self) {
            _ = try failing.completed(["halfStep"]).halfStep(.users, ratings, fixed: Matrix([[1], [1]]), lambda: 0.5)
        }
        #expect(
            error?.description.hasPrefix("your halfStep in Lessons/lesson-3/Cells.swift failed: the system is singular") == true, "\(String(describing: error))"
        )
        // Not written: the course's version runs, and its answer is the course's.
        let course = try failing.completed([]).halfStep(.users, ratings, fixed: Matrix([[1], [1]]), lambda: 0.5)
        #expect(course == (try Lesson3Exercises.reference.halfStep(.users, ratings, fixed: Matrix([[1], [1]]), lambda: 0.5)))
        // A cell that calls one not written yet still says so, as NotDoneYet.
        let waiting = Lesson3Closures(halfStep: { _, _, _, _ in throw NotDoneYet() }, objective: Lesson3Closures.solutions.objective)
        #expect(throws: NotDoneYet.self) { _ = try waiting.completed(["halfStep"]).halfStep(.users, ratings, fixed: Matrix([[1], [1]]), lambda: 0.5) }
    }

    @Test("a crash is placed in the case the cell was running, with that case's inputs")
    func crashInItsCase() {
        let info = CourseExercises.list(1)[0]
        let announced =
            CaseAnnouncer.marker
            + #"{  "place": "on score(tastes: [1, 2], factors: [3, 4]) = 11",  "shown": "\n  the inputs of that case, to redo by hand:\n    tastes = [1, 2]"}"#
        let run = IsolatedRun(ending: .signalled(4), stdout: "printed first\n" + announced + "\n", stderr: Self.indexCrash)
        let outcome = ExerciseChecker.outcome(of: run, exercise: info)
        #expect(
            outcome.message.hasPrefix("on score(tastes: [1, 2], factors: [3, 4]) = 11: it crashed: an index outside an array at Cells.swift:25 (in score)"),
            "\(outcome.message)")
        #expect(outcome.message.contains("tastes = [1, 2]") && outcome.printed == ["printed first"], "the announcement is not part of what the cell printed")
    }

    @Test("the mirror images of known mistakes have hints too")
    func mirrorHints() {
        func hint(_ exercise: Exercise) -> String {
            ExerciseChecker.checkHere(exercise).message.components(separatedBy: "Hint: ").dropFirst().first ?? "(no hint)"
        }
        let s3 = Lesson3Closures.solutions
        let onlyP = Lesson3Closures(halfStep: s3.halfStep, objective: { r, p, q, λ in try s3.objective(r, p, q, 0) + λ * p.sumOfSquares })
        #expect(hint(onlyP.exercises()[1]).hasPrefix("the penalty covers only P"))
        let s5 = Lesson5Closures.solutions
        let onlyX = Lesson5Closures(
            cost: { r, x, t, λ in try s5.cost(r, x, t, 0) + λ / 2 * x.sumOfSquares }, gradients: s5.gradients, gradientStep: s5.gradientStep)
        #expect(hint(onlyX.exercises()[0]).hasPrefix("the L2 term covers only X"))
        let onlyTheta = Lesson5Closures(
            cost: { r, x, t, λ in try s5.cost(r, x, t, 0) + λ / 2 * t.sumOfSquares }, gradients: s5.gradients, gradientStep: s5.gradientStep)
        #expect(hint(onlyTheta.exercises()[0]).hasPrefix("the L2 term covers only Θ"))
        let s7 = Lesson7Closures.solutions
        let noGuard = Lesson7Closures(
            shrunkPearson: s7.shrunkPearson,
            neighbourPrediction: { baseline, neighbours, k in
                let chosen = neighbours.filter { $0.similarity > 0 }.prefix(k)
                return baseline + chosen.reduce(0) { $0 + $1.similarity * $1.residual } / chosen.reduce(0) { $0 + $1.similarity }
            })
        #expect(hint(noGuard.exercises()[1]).hasPrefix("with no positive similarity the sum is 0 / 0"))
        let s9 = Lesson9Closures.solutions
        let unpenalizedBiases = Lesson9Closures(
            precisionAtK: s9.precisionAtK, ndcgAtK: s9.ndcgAtK,
            bprStep: { p, lr, λ in
                var step = try s9.bprStep(p, lr, λ)
                step.positiveBias += lr * λ * p.positiveBias
                step.negativeBias += lr * λ * p.negativeBias
                return step
            })
        #expect(hint(unpenalizedBiases.exercises()[2]).hasPrefix("the biases are not penalized"))
    }

    @Test("a half-step that solves a row with no ratings at λ = 0 throws, and the check says why")
    func thrownHint() {
        let course = Lesson3Exercises.reference
        let solvesEveryRow = Lesson3Closures(
            halfStep: { side, ratings, fixed, lambda in
                let rows = side == .users ? ratings.userCount : ratings.itemCount
                for row in 0..<rows where (side == .users ? ratings.ratings(ofUser: row) : ratings.ratings(ofItem: row)).isEmpty {
                    _ = try solveSymmetric(lambda * Matrix.identity(fixed.columns), [Double](repeating: 0, count: fixed.columns))
                }
                return try course.halfStep(side, ratings, fixed: fixed, lambda: lambda)
            }, objective: Lesson3Closures.solutions.objective)
        let message = ExerciseChecker.checkHere(solvesEveryRow.exercises()[0]).message
        #expect(
            message.contains("it threw an error") && message.contains("a row with no ratings was solved too") && message.contains("a penalty is not the fix"),
            "\(message)")
    }

    @Test("a cell's body is found by its braces, not fooled by braces in strings and comments; reset writes the placeholder")
    func cellSource() throws {
        let text = """
            struct YourCells {
                func score(tastes: [Double], factors: [Double]) throws -> Double {
                    let s = "}" // a } in a comment
                    /* { */ return 1
                }

                func other() {}
            }
            """
        let body = try #require(CellSource.bodyRange(of: "score", in: text))
        #expect(text[body].contains("return 1") && !text[body].contains("other"))
        let info = CourseExercises.list(1)[0]
        let reset = try #require(CellSource.resetting("score", in: text, to: info.placeholder))
        #expect(CellSource.isPlaceholder("score", in: reset, placeholder: info.placeholder))
        #expect(reset.contains("func other() {}") && !reset.contains("return 1"))
        #expect(CellSource.bodyRange(of: "missing", in: text) == nil)
    }
}
