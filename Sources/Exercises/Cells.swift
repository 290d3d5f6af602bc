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
        default: []
        }
    }

    /// The README's table of every exercise, generated from the lessons' lists.
    public static var markdownTable: String {
        (["| exercise | function | what it computes |", "| --- | --- | --- |"]
         + Course.lessons.flatMap { list($0.number) }.map { "| \($0.id) | `\($0.function)` | \($0.task) |" }).joined(separator: "\n")
    }
}

/// Which version of a cell a run uses: the learner's (or the worked solution) when it is written, the course's own
/// otherwise. `function` is the calling method's `#function`, "score(tastes:factors:)", whose name before the
/// parenthesis is the cell's.
func chosen<Cells>(_ yours: Cells, _ course: Cells, written: Set<String>, function: String) -> Cells {
    written.contains(String(function.prefix { $0 != "(" })) ? yours : course
}
