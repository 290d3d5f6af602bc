import CFCore
import Foundation
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
/// and, when the given answer is what a known mistake produces, that mistake's hint.
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

    /// A grader; `relativeTolerance` defaults to 1e-9.
    public init(problems: [(label: String, problem: Problem)], cell: @escaping (Problem) throws -> [Part],
                reference: @escaping (Problem) throws -> [Part], mistakes: [Mistake<Problem>] = [],
                relativeTolerance: Double = 1e-9, extra: ((Problem) throws -> String?)? = nil) {
        self.problems = problems
        self.cell = cell
        self.reference = reference
        self.mistakes = mistakes
        self.relativeTolerance = relativeTolerance
        self.extra = extra
    }

    /// Grades the cell on every problem; returns a one-line summary when every answer agrees.
    ///
    /// - Throws: `NotDoneYet` when the cell is not written, `CheckFailure` at the first wrong answer.
    public func grade() throws -> String {
        var notes = [String]()
        for (label, problem) in problems {
            let expected = try reference(problem)
            let given: [Part]
            do {
                given = try cell(problem)
            } catch let error as NotDoneYet {
                throw error
            } catch {
                throw CheckFailure("on \(label) it threw an error: \(error)")
            }
            if let difference = Self.difference(given, expected, tolerance: relativeTolerance) {
                let hint = mistakes.first { mistake in
                    guard let wrong = try? mistake.answer(problem) else { return false }
                    return Self.difference(given, wrong, tolerance: relativeTolerance) == nil
                }
                throw CheckFailure("on \(label): \(difference)" + (hint.map { ". Hint: \($0.hint)" } ?? ""))
            }
            if let extra, let note = try extra(problem) { notes.append(note) }
        }
        let count = problems.count
        return "right on \(count) problem\(count == 1 ? "" : "s")" + (notes.last.map { "; \($0)" } ?? "")
    }

    /// The first difference between two answers, or nil when they agree within `tolerance`.
    public static func difference(_ given: [Part], _ expected: [Part], tolerance: Double) -> String? {
        for (g, e) in zip(given, expected) {
            guard g.rows == e.rows, g.columns == e.columns, g.values.count == e.values.count else {
                return "\(e.name) should be \(e.shape), but it is \(g.shape)"
            }
            let scale = max(1, e.values.map { abs($0) }.filter(\.isFinite).max() ?? 1)
            for index in e.values.indices {
                let a = g.values[index], b = e.values[index]
                let agree = a.isFinite && b.isFinite
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
