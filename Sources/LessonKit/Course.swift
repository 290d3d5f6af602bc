import Foundation

/// One lesson of the course, as the course runner, the lessons and the README know it.
public struct LessonInfo: Sendable {
    /// The lesson's number; its executable is `lesson-N`.
    public let number: Int
    /// The title.
    public let title: String
    /// What it teaches, in a sentence or two.
    public let summary: String
    /// Whether it reads MovieLens (and so takes `--data DIR`).
    public let usesMovieLens: Bool

    /// The executable's name.
    public var executable: String { "lesson-\(number)" }

    /// The command that runs it.
    /// What a learner types: the same debug build for every lesson (the core and the lessons are optimized in it; the
    /// README's performance section compares it with release).
    public var command: String { "swift run \(executable)" }

    /// Where the learner writes the exercises, relative to the package's root.
    public var cellsFile: String { Course.cellsFile(number) }
}

/// The course: the single list of its lessons, in order.
public enum Course {
    /// Every lesson, in course order.
    public static let lessons: [LessonInfo] = [
        LessonInfo(
            number: 1, title: "Latent factors and the dot product",
            summary: "Movies and users as taste vectors, a score as their dot product, all scores as one matrix product.",
            usesMovieLens: false),
        LessonInfo(
            number: 2, title: "Content-based filtering and its reverse",
            summary:
                "Known song styles give each listener's tastes by one linear regression per listener; known survey answers give each song's styles; what λ does when a listener has too few ratings.",
            usesMovieLens: false),
        LessonInfo(
            number: 3, title: "Collaborative filtering by alternating least squares",
            summary:
                "From random song factors, alternate the two regressions; the objective never rises; learned factors, reconstruction, predictions, and why the factors are not unique.",
            usesMovieLens: false),
        LessonInfo(
            number: 4, title: "Matrix factorization by stochastic gradient descent",
            summary:
                "SGD on a synthetic 20×15 rank-3 matrix, a number-for-number port of the numpy notebook; how well the hidden cells are filled in; exercises on k, validation and biases.",
            usesMovieLens: false),
        LessonInfo(
            number: 5, title: "MovieLens: cost, gradients, gradient descent and recommendations",
            summary:
                "The cost J and its gradients, a numerical gradient check, mean normalization, batch gradient descent and SGD, RMSE against a movie-mean baseline, top-10 recommendations for a user and for you.",
            usesMovieLens: true),
        LessonInfo(
            number: 6, title: "Toward production: biases, validation, tuning, cold start",
            summary:
                "Biases, honest validation, hyperparameter search with early stopping, implicit feedback (SVD++), one final test, cold start (fold-in against retraining), \"because you liked\", and every method of the course compared.",
            usesMovieLens: true),
        LessonInfo(
            number: 7, title: "Neighbours, explanations, and what the factors mean",
            summary:
                "Item-item and user-user k-nearest neighbours with cosine, Pearson and shrunk baseline Pearson similarities, k chosen on validation; recommendations explained by the ratings that made them; movie biases; a map of the movies from their factors.",
            usesMovieLens: true),
        LessonInfo(
            number: 8, title: "The last hundredth: Bayesian matrix factorization and blending",
            summary:
                "Bayesian matrix factorization by Gibbs sampling, its validation error as the samples are averaged, the noise precision chosen on validation, SVD++'s implicit feedback on the users' side and on both sides, kept only if it beats the simpler model on validation by more than the noise, predictions with intervals; a ridge blend of every model of the course fitted on held-out predictions and tested once.",
            usesMovieLens: true),
        LessonInfo(
            number: 9, title: "Beyond stars: implicit feedback and ranking",
            summary:
                "Ratings read as interactions and judged by the short list: random and leave-last-out protocols, precision, recall, NDCG, MAP, AUC, coverage and popularity bias; popularity, item-item, weighted ALS, BPR and a rating model compared by full ranking, and why sampled metrics mislead.",
            usesMovieLens: true),
        LessonInfo(
            number: 10, title: "Deep learning for collaborative filtering, and why the dot product still wins when tuned",
            summary:
                "fast.ai's EmbeddingNN and He et al.'s NeuMF against the dot product given the same sigmoid range, weight decay, Adam and early stopping: each model's decay chosen on validation and tested once against lesson 6's model; NeuMF against weighted ALS and BPR on lesson 9's ranking; whether a network can learn a dot product (Rendle et al., 2020); and what each costs to serve.",
            usesMovieLens: true)
    ]

    /// Where lesson `n`'s cells are written, relative to the package's root.
    public static func cellsFile(_ n: Int) -> String { "Lessons/lesson-\(n)/Cells.swift" }

    /// Where lesson `n`'s worked solutions are, relative to the package's root.
    public static func solutionsFile(_ n: Int) -> String { "Sources/Solutions/Lesson\(n).swift" }

    /// Which of `functions` in lesson `n`'s `Cells.swift` (under the package folder `root`) are written: those whose
    /// body no longer holds the `throw NotDoneYet()` placeholder. `nil` when the file cannot be read.
    public static func writtenCells(_ n: Int, functions: [String], root: URL) -> Set<String>? {
        cellBodies(n, functions: functions, root: root).map { Set($0.filter { !$0.value.contains("throw NotDoneYet()") }.keys) }
    }

    /// The source of each of `functions` in lesson `n`'s `Cells.swift`, by name; `nil` when the file cannot be read.
    public static func cellBodies(_ n: Int, functions: [String], root: URL) -> [String: String]? {
        guard let text = try? String(contentsOf: root.appendingPathComponent(cellsFile(n)), encoding: .utf8) else { return nil }
        return cellBodies(in: text, functions: functions)
    }

    /// The source of each of `functions` in `text`: from its `func NAME(` to the next line that starts a `func`, a
    /// doc comment or a closing brace at the type's level (indented by at most four spaces or one tab: functions nested
    /// in a cell's body are part of it), or the end of the file.
    public static func cellBodies(in text: String, functions: [String]) -> [String: String] {
        var bodies = [String: String]()
        for function in functions {
            guard let start = text.range(of: "func \(function)(") else { continue }
            let rest = text[start.lowerBound...]
            let end = rest.range(of: #"\n( {0,4}|\t)?(func |///|\})"#, options: .regularExpression)?.lowerBound ?? rest.endIndex
            bodies[function] = String(rest[..<end])
        }
        return bodies
    }

    /// The lesson with number `n`, if there is one.
    public static func lesson(_ n: Int) -> LessonInfo? { lessons.first { $0.number == n } }

    /// The README's table of lessons, generated from `lessons`.
    public static var markdownTable: String {
        (["| lesson | command | what it teaches |", "| --- | --- | --- |"]
            + lessons.map { "| \($0.number) | `\($0.command)` | **\($0.title).** \($0.summary) |" }).joined(separator: "\n")
    }
}
