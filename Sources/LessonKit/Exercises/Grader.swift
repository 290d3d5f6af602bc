import CFCore
import Foundation
import TextOutput
import RealModule

/// One named piece of a cell's answer (a number, a vector or a matrix), flattened for comparison.
public struct Part: Sendable {
    /// What it is, as a learner reads it ("J", "∂J/∂X", "θ").
    public let name: String
    /// Its shape: 0 × 0 for a number, 1 × n for a vector.
    public let rows: Int, columns: Int
    /// Whether it is a number, a vector or a matrix (for messages).
    let kind: Kind
    /// The values, row by row.
    public let values: [Double]

    enum Kind: Sendable { case number, vector, matrix }

    /// A number.
    public static func number(_ name: String, _ value: Double) -> Part { Part(name: name, rows: 0, columns: 0, kind: .number, values: [value]) }
    /// A vector.
    public static func vector(_ name: String, _ values: [Double]) -> Part {
        Part(name: name, rows: 1, columns: values.count, kind: .vector, values: values)
    }
    /// A matrix.
    public static func matrix(_ name: String, _ m: Matrix) -> Part {
        Part(name: name, rows: m.rows, columns: m.columns, kind: .matrix, values: m.elements)
    }

    /// The value as it is written in a cell's comment: 11, [1, 2.5], [[1, 0], [0, 1]] (six significant digits).
    public var written: String {
        func number(_ x: Double) -> String {
            guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
            if x == x.rounded(), abs(x) < 1e12 { return String(Int(x)) }
            return String(format: "%.6g", x)
        }
        switch kind {
        case .number: return number(values.first ?? .nan)
        case .vector: return "[" + values.map(number).joined(separator: ", ") + "]"
        case .matrix:
            return "["
                + (0..<rows).map { r in
                    "[" + values[(r * columns)..<((r + 1) * columns)].map(number).joined(separator: ", ") + "]"
                }.joined(separator: ", ") + "]"
        }
    }

    var shape: String {
        switch kind {
        case .number: return "a number"
        case .vector: return "a vector of \(columns)"
        case .matrix: return "\(rows) × \(columns)"
        }
    }

    func position(_ index: Int) -> String {
        switch kind {
        case .number: return name
        case .vector: return "entry \(index) of \(name)"
        case .matrix: return "element (\(index / max(columns, 1)), \(index % max(columns, 1))) of \(name)"
        }
    }
}

/// A known wrong way to do an exercise, and what to tell the learner whose answer matches it.
public struct Mistake<Problem> {
    /// The hint, a sentence naming the mistake.
    public let hint: String
    /// The answer the mistake gives.
    public let answer: (Problem) throws -> [Part]

    /// A mistake whose answer is computed by `answer`.
    public init(_ hint: String, _ answer: @escaping (Problem) throws -> [Part]) {
        self.hint = hint
        self.answer = answer
    }
}

/// Grades a cell against the course's reference on a list of problems.
///
/// Each answer is compared part by part: shapes first, then every value, with a tolerance relative to the largest
/// value of that part (`relativeTolerance · max(1, max |expected|)`, so that rounding in entries near zero does not
/// count). At the first difference the grade fails with the problem, the element, the expected and the given value,
/// the problem's inputs when they are small enough to read, and, when the given answer is what a known mistake produces,
/// that mistake's hint.
///
/// The first problem may be the *worked case*: the tiny example worked by hand in the cell's comment in `Cells.swift`
/// ("score(tastes: [1, 2], factors: [3, 4]) = 11"). It is tried first, so that a learner's first failure is one they
/// can redo on paper.
public struct Grader<Problem> {
    /// The problems, each with a label that says what it is ("a random 4 × 5 problem, seed 3").
    public var problems: [(label: String, problem: Problem)]
    /// The learner's cell.
    public var cell: (Problem) throws -> [Part]
    /// The course's answer.
    public var reference: (Problem) throws -> [Part]
    /// Known wrong answers with their hints.
    public var mistakes: [Mistake<Problem>]
    /// The tolerance of the comparison (see the type's description).
    public var relativeTolerance: Double
    /// An extra check run on each problem after the comparison (for instance a finite-difference gradient check);
    /// it returns a note for the summary or throws `CheckFailure`.
    public var extra: ((Problem) throws -> String?)?
    /// The inputs of a problem as a learner would write them down, or nil when they are too big to read.
    public var show: ((Problem) -> String?)?
    /// More about a wrong answer on a problem (for instance analytic and numerical gradients side by side), or nil.
    public var explain: ((Problem) -> String?)?
    /// A hint for a cell that throws on a problem, when the problem says why (a row with no ratings and λ = 0), or nil.
    public var thrownHint: ((Problem) -> String?)?
    /// The call worked by hand in the cell's comment, without its value ("score(tastes: [1, 2], factors: [3, 4])"),
    /// when the first problem is that case.
    public var workedCall: String?

    /// A grader; `relativeTolerance` defaults to 1e-9. With `worked`, the call worked by hand in the cell's comment and
    /// its inputs, that case is graded first.
    public init(
        worked: (call: String, problem: Problem)? = nil,
        problems: [(label: String, problem: Problem)], cell: @escaping (Problem) throws -> [Part],
        reference: @escaping (Problem) throws -> [Part], mistakes: [Mistake<Problem>] = [],
        relativeTolerance: Double = 1e-9, extra: ((Problem) throws -> String?)? = nil,
        show: ((Problem) -> String?)? = nil, explain: ((Problem) -> String?)? = nil, thrownHint: ((Problem) -> String?)? = nil
    ) {
        self.problems = problems
        self.cell = cell
        self.reference = reference
        self.mistakes = mistakes
        self.relativeTolerance = relativeTolerance
        self.extra = extra
        self.show = show
        self.explain = explain
        self.thrownHint = thrownHint
        if let worked {
            workedCall = worked.call
            self.problems.insert(("the case worked in the comment, \(worked.call)", worked.problem), at: 0)
        }
    }

    /// The worked case with its value, as the cell's comment states it ("score(tastes: [1, 2], factors: [3, 4]) = 11"),
    /// or nil when the grader has none.
    public var workedCase: String? {
        guard let workedCall, let first = problems.first, let answer = try? reference(first.problem) else { return nil }
        return workedCall + (answer.count == 1 ? " = " + answer[0].written : " gives " + answer.map { "\($0.name) = \($0.written)" }.joined(separator: ", "))
    }

    /// Grades the cell on every problem; returns a one-line summary when every answer agrees.
    ///
    /// - Throws: `NotDoneYet` when the cell is not written, `CheckFailure` at the first wrong answer.
    public func grade() throws -> String {
        var notes = [String]()
        for (index, (label, problem)) in problems.enumerated() {
            let expected = try reference(problem)
            let shown = show?(problem).map { "\n" + $0 } ?? ""
            let place = index == 0 && workedCall != nil ? "on \(workedCase ?? label)" : "on \(label)"
            // Said before the cell runs, so that a crash in it can be placed in its case.
            CaseAnnouncer.announce(place: place, shown: shown)
            let given: [Part]
            do {
                given = try cell(problem)
            } catch let error as NotDoneYet {
                throw error
            } catch {
                throw CheckFailure("\(place) it threw an error: \(error)" + (thrownHint?(problem).map { ". Hint: \($0)" } ?? "") + shown)
            }
            if let difference = Self.difference(given, expected, tolerance: relativeTolerance) {
                let hint = mistakes.first { mistake in
                    guard let wrong = try? mistake.answer(problem) else { return false }
                    return Self.difference(given, wrong, tolerance: relativeTolerance) == nil
                }
                // With a hint, the first difference is looked for in what the mistake changes first, so that the
                // learner is pointed at the part that the mistake is about.
                let pointed =
                    hint.flatMap { mistake in
                        (try? mistake.answer(problem)).flatMap {
                            Self.difference(given, expected, tolerance: relativeTolerance, within: Self.changed($0, expected, tolerance: relativeTolerance))
                        }
                    } ?? difference
                throw CheckFailure(
                    "\(place): \(pointed)" + (hint.map { ". Hint: \($0.hint)" } ?? "") + shown
                        + (explain?(problem).map { "\n" + $0 } ?? ""))
            }
            if let extra, let note = try extra(problem) { notes.append(note) }
        }
        let count = problems.count
        return "right on \(count) problem\(count == 1 ? "" : "s")" + (workedCase.map { ", the first the worked case \($0)" } ?? "")
            + (notes.last.map { "; \($0)" } ?? "")
    }

    /// The names of the parts in which `a` and `b` differ.
    static func changed(_ a: [Part], _ b: [Part], tolerance: Double) -> Set<String> {
        Set(zip(a, b).filter { difference([$0.0], [$0.1], tolerance: tolerance) != nil }.map(\.1.name))
    }

    /// The first difference between two answers, or nil when they agree within `tolerance`; with `within`, only the
    /// parts of those names are compared (all of them when none of those differ).
    public static func difference(_ given: [Part], _ expected: [Part], tolerance: Double, within: Set<String>? = nil) -> String? {
        if let within, !within.isEmpty,
            let found = difference(
                zip(given, expected).filter { within.contains($0.1.name) }.map(\.0),
                expected.filter { within.contains($0.name) }, tolerance: tolerance)
        {
            return found
        }
        for (g, e) in zip(given, expected) {
            guard g.rows == e.rows, g.columns == e.columns, g.values.count == e.values.count else {
                return "\(e.name) should be \(e.shape), but it is \(g.shape)"
            }
            let scale = max(1, e.values.map { abs($0) }.filter(\.isFinite).max() ?? 1)
            for index in e.values.indices {
                let a = g.values[index], b = e.values[index]
                let agree =
                    a.isFinite && b.isFinite
                    ? a.isApproximatelyEqual(to: b, absoluteTolerance: tolerance * scale, relativeTolerance: tolerance)
                    : (a == b || (a.isNaN && b.isNaN))
                if !agree {
                    return "\(e.position(index)) should be \(show(b)), but it is \(show(a))"
                }
            }
        }
        return nil
    }

    /// A number as the checker shows it: in full, or to 10 significant digits when that is shorter.
    public static func show(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        var text = "\(x)"
        if text.count > 14 { text = String(format: "%.10g", x) }
        return text
    }
}

/// In a check's own process (`--check-only`), says on standard output which case a cell is about to run, so that the
/// checker can name the case and show its inputs when the cell crashes in it. Silent elsewhere.
public enum CaseAnnouncer {
    /// The line's prefix.
    public static let marker = "cf-check-case\t"
    nonisolated(unsafe) static var enabled = false

    /// Turns the announcements on (the check's own process does, before it grades).
    public static func enable() { enabled = true }

    static func announce(place: String, shown: String) {
        guard enabled else { return }
        let text = JSONValue.object([("place", place.json), ("shown", shown.json)]).text().replacingOccurrences(of: "\n", with: "")
        print(marker + text)  // standard output is line-buffered in the check's process: the line is out before the cell runs
    }
}
