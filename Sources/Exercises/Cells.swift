import LessonKit

/// The exercises of every lesson, by lesson number: what `course list` counts and `course check` grades.
public enum CourseExercises {
    /// Lesson `n`'s exercises, in order (empty for a lesson without cells).
    public static func list(_ n: Int) -> [ExerciseInfo] {
        switch n {
        case 1: Lesson1Exercises.list
        case 2: Lesson2Exercises.list
        case 3: Lesson3Exercises.list
        case 4: Lesson4Exercises.list
        case 5: Lesson5Exercises.list
        case 6: Lesson6Exercises.list
        case 7: Lesson7Exercises.list
        case 8: Lesson8Exercises.list
        case 9: Lesson9Exercises.list
        case 10: Lesson10Exercises.list
        default: []
        }
    }

    /// The README's table of every exercise, generated from the lessons' lists.
    public static var markdownTable: String {
        (["| exercise | function | what it computes |", "| --- | --- | --- |"]
         + Course.lessons.flatMap { list($0.number) }.map { "| \($0.id) | `\($0.function)` | \($0.task) |" }).joined(separator: "\n")
    }
}

/// An error thrown by a learner's cell while a lesson ran: it names the cell and its file before the error itself, so
/// that advice meant for the course's inputs ("add an L2 penalty") is not taken for the whole story.
public struct CellError: Error, CustomStringConvertible {
    /// The cell, "halfStep".
    public let function: String
    /// The lesson whose cells it is.
    public let lesson: Int
    /// What the cell threw.
    public let underlying: any Error

    public var description: String {
        "your \(function) in \(Course.cellsFile(lesson)) failed: \(underlying). The lesson ran on your cell; "
            + "`swift run lesson-\(lesson) --check` grades it on small cases and shows where it differs"
    }
}

/// Calls `call` on the learner's cells when the cell `function` (the caller's `#function`) is written, on the course's
/// otherwise; an error of the learner's cell comes back as a `CellError` that names it.
func attributed<Cells, T>(_ yours: Cells, _ course: Cells, written: Set<String>, lesson: Int, function: String,
                          _ call: (Cells) throws -> T) throws -> T {
    let name = String(function.prefix { $0 != "(" })
    guard written.contains(name) else { return try call(course) }
    do {
        return try call(yours)
    } catch let error as NotDoneYet {
        throw error
    } catch {
        throw CellError(function: name, lesson: lesson, underlying: error)
    }
}
