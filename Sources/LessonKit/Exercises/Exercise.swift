/// What a cell throws while its body is still the placeholder: the exercise is not done yet.
///
/// Each cell of a lesson's `Cells.swift` ships as `throw NotDoneYet()`. The lesson then runs on the course's own
/// version of that step and says so; `--check` reports the exercise as not done.
public struct NotDoneYet: Error, Sendable {
    public init() {}
}

/// One exercise as the course lists it: a function the learner writes in a lesson's `Cells.swift`.
public struct ExerciseInfo: Sendable, Equatable {
    /// "5.1": the lesson and the exercise's place in it.
    public let id: String
    /// The name of the function to write, as it stands in `Cells.swift`.
    public let function: String
    /// What the function computes, in a few words.
    public let task: String
    /// Hints, from a nudge to nearly the answer. The first is the ✏️ line of the cell's placeholder in `Cells.swift`;
    /// after the last comes the worked solution.
    public let hints: [String]

    /// An exercise of the course's list.
    public init(_ id: String, _ function: String, _ task: String, hints: [String] = []) {
        self.id = id
        self.function = function
        self.task = task
        self.hints = hints
    }

    /// The body of the cell as `Cells.swift` ships it (and as `course reset` puts it back), indented for a method.
    public var placeholder: String {
        let comment = hints.first.map { $0.split(separator: "\n", omittingEmptySubsequences: false) } ?? []
        return (comment.enumerated().map { ($0.offset == 0 ? "        // ✏️ " : "        //    ") + $0.element } + ["        throw NotDoneYet()"])
            .joined(separator: "\n")
    }
}

/// Why a cell's answer is wrong: the first difference from the course's answer, and a hint when the answer is that of
/// a known mistake.
public struct CheckFailure: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// An exercise ready to be checked: its listing, a check that grades the cell, and a probe that tells whether the
/// cell is written at all.
public struct Exercise {
    /// The exercise as the course lists it.
    public let info: ExerciseInfo
    /// Grades the cell: returns a short summary when it is right; throws `NotDoneYet` when it is not written,
    /// `CheckFailure` when it is wrong (any other error is also a wrong answer).
    public let check: () throws -> String
    /// Runs the cell once on a small problem; throws `NotDoneYet` when it is not written.
    public let probe: () throws -> Void
    /// The tiny case worked by hand in the cell's comment, with its value, when there is one.
    public let workedCase: String?

    /// An exercise with its check and probe.
    public init(_ info: ExerciseInfo, check: @escaping () throws -> String, probe: @escaping () throws -> Void, workedCase: String? = nil) {
        self.info = info
        self.check = check
        self.probe = probe
        self.workedCase = workedCase
    }

    /// An exercise graded by `grader`; the probe runs the cell on the grader's first problem.
    public init<Problem>(_ info: ExerciseInfo, _ grader: Grader<Problem>) {
        self.init(
            info, check: { try grader.grade() },
            probe: {
                if let first = grader.problems.first { _ = try grader.cell(first.problem) }
            }, workedCase: grader.workedCase)
    }

    /// Whether the cell has been written (its body no longer throws `NotDoneYet`). A cell that fails in any other way
    /// counts as written: it is the check's job to say it is wrong.
    public var isWritten: Bool {
        do { try probe(); return true } catch is NotDoneYet { return false } catch { return true }
    }
}
