import CFCore
import Exercises
import Foundation
import LessonKit
import Numerics
import Solutions
import TestSupport
import Testing

/// The outcome of every exercise of a set, by function name.
func outcomes(_ exercises: [Exercise]) -> [String: CheckOutcome] {
    Dictionary(uniqueKeysWithValues: exercises.map { ($0.info.function, ExerciseChecker.checkHere($0)) })
}

/// The lesson-1 data the checks also use.
let lesson1Users = Matrix([[0.9, -0.6, 0.8], [0.8, 0.7, -0.3]])
let lesson1Movies = Matrix([[0.98, -0.9, 0.9], [-0.99, -0.97, 0.4], [0.9, -0.5, 0.6]])

/// Every exercise of the course, checked with the given cells of each lesson.
func allExercises(
    _ l1: Lesson1Closures, _ l2: Lesson2Closures, _ l3: Lesson3Closures, _ l4: Lesson4Closures, _ l5: Lesson5Closures, _ l6: Lesson6Closures,
    _ l7: Lesson7Closures, _ l8: Lesson8Closures, _ l9: Lesson9Closures = .solutions, _ l10: Lesson10Closures = .solutions
) throws -> [Exercise] {
    var rng = RandomState(seed: 42)
    let truth = rng.randn(6, 2) * rng.randn(5, 2).transposed
    let observed = try Ratings(matrix: truth) { ($0 + 2 * $1) % 3 != 0 }
    let notebook: Lesson4Cells.Problem = (observed, 0.1 * rng.randn(6, 2), 0.1 * rng.randn(5, 2), 0.05, 0.01, 20)
    return l1.exercises(users: lesson1Users, movies: lesson1Movies) + l2.exercises() + l3.exercises() + l4.exercises(notebook: notebook)
        + l5.exercises() + l6.exercises() + l7.exercises() + l8.exercises() + l9.exercises() + l10.exercises()
}

/// The lessons whose exercises `allExercises` checks: the course's, and lesson 10, whose cells come before the lesson
/// itself is in `Course.lessons`.
let lessonsWithExercises = Course.lessons.map(\.number).sorted()

@Suite("exercises: the checks of --check")
struct ExercisesTests {
    @Test("the worked solutions of every exercise are graded right, and so are the course's own versions")
    func solutionsPass() throws {
        for cells in [
            (
                Lesson1Closures.solutions, Lesson2Closures.solutions, Lesson3Closures.solutions, Lesson4Closures.solutions, Lesson5Closures.solutions,
                Lesson6Closures.solutions,
                Lesson7Closures.solutions, Lesson8Closures.solutions, Lesson9Closures.solutions, Lesson10Closures.solutions
            ),
            (
                Lesson1Closures.reference, Lesson2Closures.reference, Lesson3Closures.reference, Lesson4Closures.reference, Lesson5Closures.reference,
                Lesson6Closures.reference,
                Lesson7Closures.reference, Lesson8Closures.reference, Lesson9Closures.reference, Lesson10Closures.reference
            )
        ] {
            let exercises = try allExercises(cells.0, cells.1, cells.2, cells.3, cells.4, cells.5, cells.6, cells.7, cells.8, cells.9)
            #expect(exercises.map(\.info) == lessonsWithExercises.flatMap { CourseExercises.list($0) }, "one check per exercise of the course's list")
            for exercise in exercises {
                let outcome = ExerciseChecker.checkHere(exercise)
                #expect(outcome.status == .right, "\(exercise.info.id) \(exercise.info.function): \(outcome.message)")
                #expect(exercise.isWritten)
            }
        }
    }

    @Test("placeholders that throw NotDoneYet are reported as not done")
    func placeholders() throws {
        let notDone = NotDoneYet()
        let exercises = try allExercises(
            Lesson1Closures(score: { _, _ in throw notDone }, scoreMatrix: { _, _ in throw notDone }),
            Lesson2Closures(listenerTastes: { _, _, _, _ in throw notDone }, songStyles: { _, _, _, _ in throw notDone }),
            Lesson3Closures(halfStep: { _, _, _, _ in throw notDone }, objective: { _, _, _, _ in throw notDone }),
            Lesson4Closures(sgdEpoch: { _, _, _, _, _ in throw notDone }),
            Lesson5Closures(
                cost: { _, _, _, _ in throw notDone }, gradients: { _, _, _, _ in throw notDone },
                gradientStep: { _, _, _, _, _ in throw notDone }),
            Lesson6Closures(sgdUpdate: { _, _, _, _, _, _, _ in throw notDone }, foldIn: { _, _, _ in throw notDone }),
            Lesson7Closures(shrunkPearson: { _, _, _ in throw notDone }, neighbourPrediction: { _, _, _ in throw notDone }),
            Lesson8Closures(userConditional: { _, _, _, _, _ in throw notDone }, ridgeBlend: { _, _, _ in throw notDone }),
            Lesson9Closures(precisionAtK: { _, _, _ in throw notDone }, ndcgAtK: { _, _, _ in throw notDone }, bprStep: { _, _, _ in throw notDone }),
            Lesson10Closures(denseForward: { _, _, _ in throw notDone }, denseBackward: { _, _, _, _ in throw notDone }, adamStep: { _ in throw notDone }))
        for exercise in exercises {
            #expect(!exercise.isWritten)
            let outcome = ExerciseChecker.checkHere(exercise)
            #expect(outcome.status == .notDone && outcome.message == "not done yet", "\(exercise.info.id)")
        }
    }

    /// Checks one wrong cell: graded wrong, with the first difference and the hint that names the mistake.
    func expectWrong(_ exercise: Exercise, hint: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let outcome = ExerciseChecker.checkHere(exercise)
        #expect(outcome.status == .wrong, "\(exercise.info.id) was not graded wrong: \(outcome.message)", sourceLocation: sourceLocation)
        #expect(
            outcome.message.contains("should be") && outcome.message.contains("Hint: " + hint),
            "\(exercise.info.id): \(outcome.message)", sourceLocation: sourceLocation)
    }

    @Test("a wrong cell of lessons 1-3 is graded wrong, naming the mistake")
    func wrongLessons1to3() throws {
        let s1 = Lesson1Closures.solutions
        let noSum = Lesson1Closures(score: { a, b in a.last! * b.last! }, scoreMatrix: s1.scoreMatrix)
        expectWrong(noSum.exercises(users: lesson1Users, movies: lesson1Movies)[0], hint: "the products are not added up")
        let transposed = Lesson1Closures(score: s1.score, scoreMatrix: { u, m in m * u.transposed })
        let shape = ExerciseChecker.checkHere(transposed.exercises(users: lesson1Users, movies: lesson1Movies)[1])
        #expect(shape.message.contains("S should be 1 × 2, but it is 2 × 1") && shape.message.contains("Hint: this is M Uᵀ"), "\(shape.message)")

        let s2 = Lesson2Closures.solutions
        let noLambda = Lesson2Closures(listenerTastes: { r, u, x, _ in try s2.listenerTastes(r, u, x, 0) }, songStyles: s2.songStyles)
        expectWrong(noLambda.exercises()[0], hint: "λ is missing")
        let zeros = Lesson2Closures(
            listenerTastes: s2.listenerTastes,
            songStyles: { r, j, t, λ in
                try Lesson2Closures.reference.songStyles(withZeros(r), j, t, λ)
            })
        expectWrong(zeros.exercises()[1], hint: "the unrated listeners are counted as ratings of 0")

        let s3 = Lesson3Closures.solutions
        expectWrong(
            Lesson3Closures(halfStep: { side, r, fixed, _ in try s3.halfStep(side, r, fixed, 0) }, objective: s3.objective).exercises()[0], hint: "λ is missing"
        )
        expectWrong(
            Lesson3Closures(halfStep: s3.halfStep, objective: { try s3.objective($0, $1, $2, $3 / 2) }).exercises()[1],
            hint: "the penalty is halved")
    }

    @Test("a wrong cell of lessons 4-6 is graded wrong, naming the mistake")
    func wrongLessons4to6() throws {
        // Lesson 4: V updated with the old U row.
        let oldRow = Lesson4Closures(sgdEpoch: { observed, u, v, lr, reg in
            for cell in observed.entries {
                let i = cell.user, j = cell.item, before = u.row(i)
                let err = cell.value - dot(u.row(i), v.row(j))
                for f in 0..<u.columns { u[i, f] += lr * (err * v[j, f] - reg * u[i, f]) }
                for f in 0..<u.columns { v[j, f] += lr * (err * before[f] - reg * v[j, f]) }
            }
        })
        let exercises = try allExercises(.solutions, .solutions, .solutions, oldRow, .solutions, .solutions, .solutions, .solutions)
        expectWrong(exercises[6], hint: "V[j] was updated with the old U[i] row")

        let s5 = Lesson5Closures.solutions
        expectWrong(
            Lesson5Closures(cost: { try s5.cost($0, $1, $2, 2 * $3) }, gradients: s5.gradients, gradientStep: s5.gradientStep).exercises()[0],
            hint: "the L2 term is not halved")
        let flipped = Lesson5Closures(
            cost: s5.cost,
            gradients: { r, x, t, λ in
                let g = try s5.gradients(r, x, t, λ)
                return (2 * λ * x - g.features, 2 * λ * t - g.preferences)
            }, gradientStep: s5.gradientStep)
        expectWrong(flipped.exercises()[1], hint: "the error has the wrong sign")
        let sequential = Lesson5Closures(
            cost: s5.cost, gradients: s5.gradients,
            gradientStep: { r, x, t, α, λ in
                x = x - α * (try s5.gradients(r, x, t, λ)).features
                t = t - α * (try s5.gradients(r, x, t, λ)).preferences
            })
        expectWrong(sequential.exercises()[2], hint: "Θ's gradient was taken after X had moved")

        let s8 = Lesson8Closures.solutions
        let perRow = Lesson8Closures(userConditional: s8.userConditional, ridgeBlend: { x, y, λ in try s8.ridgeBlend(x, y, λ / Double(x.count)) })
        expectWrong(perRow.exercises()[1], hint: "the penalty is λ, not λ n")
        let noPull = Lesson8Closures(userConditional: { v, r, α, μ, Λ in try s8.userConditional(v, r, α, μ.map { _ in 0 }, Λ) }, ridgeBlend: s8.ridgeBlend)
        expectWrong(noPull.exercises()[0], hint: "the prior's pull Λμ is missing")
        let noAlpha = Lesson8Closures(userConditional: { v, r, _, μ, Λ in try s8.userConditional(v, r, 1, μ, Λ) }, ridgeBlend: s8.ridgeBlend)
        expectWrong(noAlpha.exercises()[0], hint: "α is missing")
        let precision = Lesson8Closures(
            userConditional: { v, r, α, μ, Λ in
                let g = try s8.userConditional(v, r, α, μ, Λ)
                var p = Λ
                for j in 0..<v.rows { for a in 0..<Λ.rows { for b in 0..<Λ.rows { p[a, b] += α * v[j, a] * v[j, b] } } }
                return (g.mean, p)
            }, ridgeBlend: s8.ridgeBlend)
        expectWrong(precision.exercises()[0], hint: "the covariance is the precision P itself")

        let s7 = Lesson7Closures.solutions
        let unshrunk = Lesson7Closures(shrunkPearson: { a, b, _ in try s7.shrunkPearson(a, b, 0) }, neighbourPrediction: s7.neighbourPrediction)
        expectWrong(unshrunk.exercises()[0], hint: "the shrinkage factor is missing")
        let noBaseline = Lesson7Closures(shrunkPearson: s7.shrunkPearson, neighbourPrediction: { try s7.neighbourPrediction(0, $1, $2) })
        expectWrong(noBaseline.exercises()[1], hint: "the baseline is missing")
        let negatives = Lesson7Closures(
            shrunkPearson: s7.shrunkPearson,
            neighbourPrediction: { base, neighbours, k in
                let chosen = neighbours.prefix(k), total = chosen.reduce(0) { $0 + $1.similarity }
                return total != 0 ? base + chosen.reduce(0) { $0 + $1.similarity * $1.residual } / total : base
            })
        expectWrong(negatives.exercises()[1], hint: "negative similarities were kept")

        let s9 = Lesson9Closures.solutions
        let recall = Lesson9Closures(precisionAtK: { RankingMetrics.recall($0, relevant: $1, k: $2) }, ndcgAtK: s9.ndcgAtK, bprStep: s9.bprStep)
        expectWrong(recall.exercises()[0], hint: "divided by the number of relevant items")
        let allIdeal = Lesson9Closures(
            precisionAtK: s9.precisionAtK,
            ndcgAtK: { ranked, relevant, k in
                let dcg = ranked.prefix(k).enumerated().reduce(0.0) { $0 + (relevant.contains($1.element) ? 1 / log2(Double($1.offset + 2)) : 0) }
                return dcg / (0..<relevant.count).reduce(0.0) { $0 + 1 / log2(Double($1 + 2)) }
            }, bprStep: s9.bprStep)
        expectWrong(allIdeal.exercises()[1], hint: "the ideal DCG counts every relevant item")
        let newUserFirst = Lesson9Closures(
            precisionAtK: s9.precisionAtK, ndcgAtK: s9.ndcgAtK,
            bprStep: { p, lr, λ in
                // Items moved with the new x_u instead of the old one.
                let first = try s9.bprStep(p, lr, λ)
                var x = p.positiveBias - p.negativeBias
                for f in p.user.indices { x += p.user[f] * (p.positive[f] - p.negative[f]) }
                let d = 1 / (1 + exp(x))
                return (
                    first.user, p.user.indices.map { p.positive[$0] + lr * (d * first.user[$0] - λ * p.positive[$0]) },
                    p.user.indices.map { p.negative[$0] + lr * (-d * first.user[$0] - λ * p.negative[$0]) }, first.positiveBias, first.negativeBias
                )
            })
        expectWrong(newUserFirst.exercises()[2], hint: "the items were updated with the new x_u")

        let s6 = Lesson6Closures.solutions
        let oldP = Lesson6Closures(
            sgdUpdate: { model, u, i, r, lr, λ, biasλ in
                let e = r - model.score(user: u, item: i)
                model.userBias[u] += lr * (e - biasλ * model.userBias[u])
                model.itemBias[i] += lr * (e - biasλ * model.itemBias[i])
                for f in 0..<model.factorCount {
                    let p = model.userFactors[u, f], q = model.itemFactors[i, f]
                    model.userFactors[u, f] = p + lr * (e * q - λ * p)
                    model.itemFactors[i, f] = q + lr * (e * p - λ * q)
                }
            }, foldIn: s6.foldIn)
        expectWrong(oldP.exercises()[0], hint: "q_i was updated with the old p_u")
        // The first difference is reported in what the mistake changes (Q), not in b_u, which it leaves right.
        let oldPMessage = ExerciseChecker.checkHere(oldP.exercises()[0]).message
        #expect(oldPMessage.contains("of Q (item factors) should be") && !oldPMessage.contains("of b_u should be"), "\(oldPMessage)")
        let unweighted = Lesson6Closures(
            sgdUpdate: s6.sgdUpdate,
            foldIn: { model, ratings, λ in
                try s6.foldIn(model, ratings, λ / Double(ratings.count))
            })
        expectWrong(unweighted.exercises()[1], hint: "the penalty is not weighted")
    }

    @Test("lesson 3's hints: the penalty on Q only, λ weighted by the number of ratings, a row with no ratings solved to NaN")
    func hintsLesson3() throws {
        let s3 = Lesson3Closures.solutions
        let onlyQ = Lesson3Closures(halfStep: s3.halfStep, objective: { r, p, q, λ in try s3.objective(r, p, q, 0) + λ * q.sumOfSquares })
        expectWrong(onlyQ.exercises()[1], hint: "the penalty covers only Q")
        // Each row's system from its own ratings, with λ n on the diagonal.
        let weighted = Lesson3Closures(
            halfStep: { side, r, fixed, λ in
                var result = Matrix(rows: side == .users ? r.userCount : r.itemCount, columns: fixed.columns)
                for row in 0..<result.rows {
                    let own = Array(side == .users ? r.ratings(ofUser: row) : r.ratings(ofItem: row))
                    if own.isEmpty { continue }
                    let a = Matrix(rows: own.count, columns: fixed.columns) { fixed[Int(side == .users ? own[$0].item : own[$0].user), $1] }
                    var gram = a.transposed * a
                    for d in 0..<gram.rows { gram[d, d] += λ * Double(own.count) }
                    result.setRow(row, to: try solveSymmetric(gram, a.transposed * own.map(\.value)))
                }
                return result
            }, objective: s3.objective)
        expectWrong(weighted.exercises()[0], hint: "λ is weighted by the row's number of ratings")
        // Rows with no ratings solved too: their system λ I w = 0 solved as 0 / λ, NaN when λ = 0.
        let unskipped = Lesson3Closures(
            halfStep: { side, r, fixed, λ in
                var result = try s3.halfStep(side, r, fixed, λ)
                for row in 0..<result.rows where (side == .users ? r.ratings(ofUser: row) : r.ratings(ofItem: row)).isEmpty {
                    result.setRow(row, to: [Double](repeating: 0 / λ, count: fixed.columns))
                }
                return result
            }, objective: s3.objective)
        expectWrong(unskipped.exercises()[0], hint: "a row with no ratings was solved too, and with λ = 0 its system is all zeros (0 / 0 is NaN)")
    }

    @Test("lessons 4-6's hints: the error computed again, gradients in the wrong rows, μ missing from the fold-in")
    func hintsLessons4to6() throws {
        let errorAgain = Lesson4Closures(sgdEpoch: { observed, u, v, lr, reg in
            for cell in observed.entries {
                let i = cell.user, j = cell.item
                let err = cell.value - dot(u.row(i), v.row(j))
                for f in 0..<u.columns { u[i, f] += lr * (err * v[j, f] - reg * u[i, f]) }
                let again = cell.value - dot(u.row(i), v.row(j))
                for f in 0..<u.columns { v[j, f] += lr * (again * u[i, f] - reg * v[j, f]) }
            }
        })
        let exercises = try allExercises(.solutions, .solutions, .solutions, errorAgain, .solutions, .solutions, .solutions, .solutions)
        expectWrong(exercises[6], hint: "the error was computed again after U[i] moved")

        // The user's and the movie's indices swapped in the rows the terms go to.
        let s5 = Lesson5Closures.solutions
        let wrongRows = Lesson5Closures(
            cost: s5.cost,
            gradients: { r, x, t, λ in
                var gx = λ * x, gt = λ * t
                for rating in r.entries {
                    let u = rating.user, i = rating.item, error = dot(t.row(u), x.row(i)) - rating.value
                    for f in 0..<x.columns {
                        gx[u, f] += error * t[u, f]
                        gt[i, f] += error * x[i, f]
                    }
                }
                return (gx, gt)
            }, gradientStep: s5.gradientStep)
        expectWrong(wrongRows.exercises()[1], hint: "each rating's terms went into the wrong rows")

        let s6 = Lesson6Closures.solutions
        let noMean = Lesson6Closures(
            sgdUpdate: s6.sgdUpdate,
            foldIn: { model, ratings, λ in
                var withoutMean = model
                withoutMean.globalMean = 0
                return try s6.foldIn(withoutMean, ratings, λ)
            })
        expectWrong(noMean.exercises()[1], hint: "μ is missing from the targets")
    }

    @Test("lessons 7-9's hints: centring again, dividing by k, α missing from b, uncentred inputs, NDCG's positions and places, x without biases")
    func hintsLessons7to9() throws {
        let s7 = Lesson7Closures.solutions
        // The textbook Pearson: each movie centred on its mean over the raters in common.
        let pearson = Lesson7Closures(
            shrunkPearson: { a, b, shrinkage in
                let common = Set(a.map(\.user)).intersection(b.map(\.user))
                let x = a.filter { common.contains($0.user) }.map(\.residual), y = b.filter { common.contains($0.user) }.map(\.residual)
                guard !common.isEmpty else { return 0 }
                let n = Double(common.count), xMean = x.reduce(0, +) / n, yMean = y.reduce(0, +) / n
                let xy = zip(x, y).reduce(0) { $0 + ($1.0 - xMean) * ($1.1 - yMean) }
                let xx = x.reduce(0) { $0 + ($1 - xMean) * ($1 - xMean) }, yy = y.reduce(0) { $0 + ($1 - yMean) * ($1 - yMean) }
                return xx * yy > 0 ? xy / (xx * yy).squareRoot() * n / (n + shrinkage) : 0
            }, neighbourPrediction: s7.neighbourPrediction)
        expectWrong(pearson.exercises()[0], hint: "the residuals were centred on their means")
        // Each movie centred on its mean over all its raters.
        let ownMeans = Lesson7Closures(
            shrunkPearson: { a, b, shrinkage in
                let aMean = a.reduce(0) { $0 + $1.residual } / Double(a.count), bMean = b.reduce(0) { $0 + $1.residual } / Double(b.count)
                return try s7.shrunkPearson(a.map { ($0.user, $0.residual - aMean) }, b.map { ($0.user, $0.residual - bMean) }, shrinkage)
            }, neighbourPrediction: s7.neighbourPrediction)
        expectWrong(ownMeans.exercises()[0], hint: "the residuals were centred on their means")
        let byK = Lesson7Closures(
            shrunkPearson: s7.shrunkPearson,
            neighbourPrediction: { base, neighbours, k in
                base + neighbours.filter { $0.similarity > 0 }.prefix(k).reduce(0) { $0 + $1.similarity * $1.residual } / Double(k)
            })
        expectWrong(byK.exercises()[1], hint: "the weighted sum is divided by k")

        let s8 = Lesson8Closures.solutions
        let noAlphaInB = Lesson8Closures(
            userConditional: { v, r, α, μ, Λ in
                var precision = Λ, b = Λ * μ
                for j in 0..<v.rows {
                    for a in 0..<Λ.rows {
                        b[a] += r[j] * v[j, a]
                        for c in 0..<Λ.rows { precision[a, c] += α * v[j, a] * v[j, c] }
                    }
                }
                let covariance = try inverseSymmetric(precision)
                return (covariance * b, covariance)
            }, ridgeBlend: s8.ridgeBlend)
        expectWrong(noAlphaInB.exercises()[0], hint: "α is missing from b")
        // The normal equations of the raw columns, y raw or centred, and the intercept ȳ − w · x̄ as if they were centred.
        for centringY in [false, true] {
            let uncentred = Lesson8Closures(
                userConditional: s8.userConditional,
                ridgeBlend: { x, y, λ in
                    let n = Double(x.count), design = Matrix(x), yMean = y.reduce(0, +) / n
                    var gram = design.transposed * design
                    for d in 0..<gram.rows { gram[d, d] += λ * n }
                    let w = try solveSymmetric(gram, design.transposed * y.map { centringY ? $0 - yMean : $0 })
                    return (w, yMean - dot(w, (0..<design.columns).map { design.column($0).reduce(0, +) / n }))
                })
            expectWrong(uncentred.exercises()[1], hint: "the inputs were not centred")
        }

        // NDCG with the item at index i gaining 1 / log₂(i + from), and the ideal DCG discounted by 1 / log₂(i + idealFrom)
        // over min(k, |relevant|) places, or over k with `idealOverK`.
        let s9 = Lesson9Closures.solutions
        func ndcg(from: Double = 2, idealFrom: Double = 2, idealOverK: Bool = false) -> Lesson9Closures {
            Lesson9Closures(
                precisionAtK: s9.precisionAtK,
                ndcgAtK: { ranked, relevant, k in
                    guard !relevant.isEmpty else { return 0 }
                    var dcg = 0.0, ideal = 0.0
                    for (index, item) in ranked.prefix(k).enumerated() where relevant.contains(item) { dcg += 1 / log2(Double(index) + from) }
                    for index in 0..<(idealOverK ? k : min(k, relevant.count)) { ideal += 1 / log2(Double(index) + idealFrom) }
                    return dcg / ideal
                }, bprStep: s9.bprStep)
        }
        expectWrong(ndcg(from: 1).exercises()[1], hint: "the top place divides by log₂ 1 = 0")
        expectWrong(ndcg(from: 1, idealFrom: 1).exercises()[1], hint: "the top place divides by log₂ 1 = 0")
        expectWrong(ndcg(from: 0).exercises()[1], hint: "the top place gains nothing")
        expectWrong(ndcg(idealOverK: true).exercises()[1], hint: "the ideal DCG runs over all k places")
        let noBiases = Lesson9Closures(
            precisionAtK: s9.precisionAtK, ndcgAtK: s9.ndcgAtK,
            bprStep: { p, lr, λ in
                let x = dot(p.user, zip(p.positive, p.negative).map { $0 - $1 }), d = 1 / (1 + exp(x))
                return (
                    p.user.indices.map { p.user[$0] + lr * (d * (p.positive[$0] - p.negative[$0]) - λ * p.user[$0]) },
                    p.user.indices.map { p.positive[$0] + lr * (d * p.user[$0] - λ * p.positive[$0]) },
                    p.user.indices.map { p.negative[$0] + lr * (-d * p.user[$0] - λ * p.negative[$0]) },
                    p.positiveBias + lr * (d - λ * p.positiveBias), p.negativeBias + lr * (-d - λ * p.negativeBias)
                )
            })
        expectWrong(noBiases.exercises()[2], hint: "the biases are missing from x")
    }

    @Test("the plain update of the core equals its SIMD kernel, and the gradient check of lesson 5 catches a wrong gradient")
    func independentChecks() throws {
        var rng = RandomState(seed: 5)
        let ratings = try Ratings(matrix: rng.rand(7, 9)) { ($0 * 3 + $1) % 4 != 1 }
        let users = 0.1 * rng.randn(7, 3), items = 0.1 * rng.randn(9, 3)
        let plain = try Lesson6Exercises.train(
            FactorModel(userFactors: users, itemFactors: items, globalMean: ratings.mean), on: ratings, epochs: 4,
            learningRate: 0.05, lambda: 0.1, biasLambda: 0.02, update: Lesson6Closures.reference.sgdUpdate)
        let kernel = try StochasticGradientDescent.train(
            ratings,
            .init(
                factors: 3, learningRate: 0.05, regularization: 0.1, iterations: 4, biases: true,
                biasRegularization: 0.02),
            initialUserFactors: users, initialItemFactors: items
        ).model
        for (a, b) in zip(plain.userFactors.elements + plain.itemBias, kernel.userFactors.elements + kernel.itemBias) {
            #expect(a.isApproximatelyEqual(to: b, absoluteTolerance: 1e-13))
        }
        let good = try Lesson5Closures.solutions.gradientCheck(ratings, features: items, preferences: users, lambda: 0.7)
        #expect(good < 1e-8)
        let bad = Lesson5Closures(
            cost: Lesson5Closures.solutions.cost, gradients: { r, x, t, _ in try Lesson5Solutions().gradients(r, features: x, preferences: t, lambda: 0) },
            gradientStep: Lesson5Closures.solutions.gradientStep)
        #expect(try bad.gradientCheck(ratings, features: items, preferences: users, lambda: 0.7) > 1e-3)
    }

    @Test("the grader: tolerance relative to the largest value of a part; NaN against a number is a difference")
    func grader() {
        let within = Grader<Int>.difference([.vector("v", [1000, 1e-7])], [.vector("v", [1000 + 1e-7, 0])], tolerance: 1e-9)
        #expect(within == nil)
        let beyond = Grader<Int>.difference([.vector("v", [1, 2.001])], [.vector("v", [1, 2])], tolerance: 1e-9)
        #expect(beyond == "entry 1 of v should be 2.0, but it is 2.001")
        #expect(Grader<Int>.difference([.number("J", .nan)], [.number("J", 3)], tolerance: 1e-9) == "J should be 3.0, but it is nan")
    }

    @Test("a check in its own process: a crash and an endless loop are outcomes, not crashes of the checker")
    func isolation() {
        let shell = URL(fileURLWithPath: "/bin/sh")
        let crash = IsolatedRun.run(shell, ["-c", "echo 'Fatal error: Index out of range' >&2; kill -ILL $$"], timeLimit: 10)
        #expect(crash.ending == .signalled(SIGILL))
        #expect(crash.failure(timeLimit: 10) == "it crashed: Index out of range", "the runtime's message, and no guess at the cause when it is known")
        let loop = IsolatedRun.run(shell, ["-c", "while true; do :; done"], timeLimit: 0.5)
        #expect(loop.ending == .timedOut)
        #expect(loop.failure(timeLimit: 0.5).contains("did not finish") && loop.failure(timeLimit: 0.5).contains("endless loop"))
        let fine = IsolatedRun.run(shell, ["-c", "echo hello"], timeLimit: 10)
        #expect(fine.ending == .exited(0) && fine.stdout == "hello\n")
    }

    @Test("the course list's count of written cells reads Cells.swift: a placeholder body is not written")
    func writtenCells() throws {
        let root = temporaryPath("cf-cells")
        defer { try? FileManager.default.removeItem(at: root) }
        try put(
            """
            func cost(_ ratings: Ratings) throws -> Double {
                return 1
            }

            func gradients(_ ratings: Ratings) throws -> Double {
                throw NotDoneYet()
            }
            """, "Lessons/lesson-5/Cells.swift", in: root)
        #expect(Course.writtenCells(5, functions: ["cost", "gradients"], root: root) == ["cost"])
        #expect(Course.writtenCells(4, functions: ["sgdEpoch"], root: root) == nil)
    }
}

/// The same ratings with missing cells as 0 (a mistake's data).
func withZeros(_ ratings: Ratings) throws -> Ratings {
    try Ratings(dense: ratings.dense.map { $0.map { $0 ?? 0 } })
}
