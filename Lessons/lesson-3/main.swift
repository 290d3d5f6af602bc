// Lesson 3: collaborative filtering by alternating least squares.
//
// Run it with `swift run lesson-3`; try `swift run lesson-3 --k 3 --lambda 0.1 --seed 7`.

import CFCore
import Exercises
import Figures
import LessonKit
import TextOutput

let options = Options.parseOrExplain()
let chosenCells: any Lesson3Cells = options.common.solutions ? Lesson3Exercises.solutions : YourCells()

Lesson.run(3, options: options.common, exercises: chosenCells.exercises()) { book in
    let cells = chosenCells.completed(book.writtenCells)
    let listeners = MusicExample.listeners, songs = MusicExample.songs
    let ratings = MusicExample.ratings, scale = MusicExample.scale
    let k = options.k, λ = options.lambda
    let factorNames = (1...k).map { "f\($0)" }

    book.paragraph(
        """
        Lesson 2 filled in the ratings matrix twice: knowing the songs' styles, it learned the listeners; knowing
        the listeners' tastes, it learned the songs. Now we know neither. The trick is to guess one side, solve for
        the other, and take turns. Each turn is exactly a regression from lesson 2.
        """)
    try book.showRatings(
        transposed(ratings.dense), rowNames: songs, columnNames: listeners, corner: "song",
        caption: "Observed ratings", figure: "ratings", xLabel: "listener", yLabel: "song", scale: scale)

    // MARK: A random start
    book.heading("Start from random song factors")
    book.paragraph(
        """
        We give every song k = \(k) factors drawn at random from [0, 1) (seed \(book.seed)). They mean nothing yet: no
        editor tagged them, and the factors have no names, just f1, f2, ...
        """)
    var rng = RandomState(seed: book.seed)
    let start = AlternatingLeastSquares.randomItemFactors(items: songs.count, factors: k, rng: &rng)
    book.matrix(start, rowNames: songs, columnNames: factorNames, corner: "song", caption: "Random song factors (the start)")

    // MARK: Alternate
    book.heading("Alternate the two regressions")
    book.paragraph(
        """
        Listener step: with the song factors fixed, each listener's factors are the regression of their ratings on the
        factors of the songs they rated (lesson 2, direction 1). Song step: with the listener factors fixed, each
        song's factors are the regression of its ratings on the factors of the listeners who rated it (direction 2).
        Each step minimises the objective exactly over one side while holding the other, so the objective can only go
        down or stay put.
        """)
    book.code(
        λ > 0
            ? "objective = Σ over observed (u, j) of (p_u · q_j − R[u, j])²  +  λ (Σ ‖p_u‖² + Σ ‖q_j‖²),   λ = \(λ)"
            : "objective = Σ over observed (u, j) of (p_u · q_j − R[u, j])²   (the sum of squared errors, SSE)")
    // ✏️ The loop of ALS, on your `halfStep` and `objective` (Cells.swift) once written.
    let run = try alternate(ratings, start: start, lambda: λ, iterations: options.iterations, tolerance: options.tolerance, cells: cells)
    let (p, q, steps, converged) = (run.p, run.q, run.steps, run.converged)
    let header = ["iteration", "step", "SSE"] + (λ > 0 ? ["objective"] : [])
    let shown = steps.count <= 24 ? Array(steps.indices) : Array(0..<16) + Array((steps.count - 6)..<steps.count)
    book.table(
        Table(
            header: header,
            rows: shown.map { i in
                let s = steps[i]
                return [String(s.iteration), s.side == .users ? "listeners" : "songs", "\(s.sumOfSquaredErrors, digits: 6)"]
                    + (λ > 0 ? ["\(s.objective, digits: 6)"] : [])
            }),
        caption: steps.count == shown.count
            ? "The objective after every half-step"
            : "The objective after every half-step (the first 16 and the last 6 of \(steps.count); all are in results.json)")
    let increases = zip(steps, steps.dropFirst()).filter { $1.objective > $0.objective * (1 + 1e-12) }.count
    let last = steps.last!
    book.paragraph(
        converged
            ? "ALS stopped after \(last.iteration) iterations, when an iteration lowered the objective by less than a fraction \(options.tolerance) of it. \(wentUp(increases))"
            : "ALS ran the full \(last.iteration) iterations without reaching the tolerance \(options.tolerance). \(wentUp(increases))")
    try book.figure(
        .lines(
            name: "loss", title: "ALS: objective after every half-step (k = \(k), λ = \(formatPlain(λ)))",
            xLabel: "half-step", yLabel: λ > 0 ? "objective" : "sum of squared errors",
            series: [Series("after each half-step", y: steps.map(\.objective))],
            logY: true))

    // The same ALS from four other random starts: is this end a poor one?
    let restarts = try (UInt32(1)...4).map { offset -> Restart in
        var other = RandomState(seed: book.seed &+ offset)
        let from = AlternatingLeastSquares.randomItemFactors(items: songs.count, factors: k, rng: &other)
        let end = try alternate(ratings, start: from, lambda: λ, iterations: options.iterations, tolerance: options.tolerance, cells: cells)
        return Restart(
            seed: book.seed &+ offset, objective: end.steps.last?.objective ?? .nan,
            predictions: FactorModel(userFactors: end.p, itemFactors: end.q, ratingScale: scale).predictedMatrix())
    }
    let poorEnd = isPoorEnd(steps.last!.objective, restarts: restarts)
    book.paragraph(endReading(steps.last!.objective, seed: book.seed, restarts: restarts, converged: converged))
    book.record("restart_objectives", Dictionary(uniqueKeysWithValues: restarts.map { (String($0.seed), $0.objective) }))
    book.record(
        "restart_predictions",
        Dictionary(
            uniqueKeysWithValues: restarts.map { r in
                (String(r.seed), JSONValue.array(r.predictions.rowArrays.map(\.json)))
            }))

    // MARK: What was learned
    book.heading("What ALS learned")
    book.paragraph("The factors ALS ended with, for the listeners and for the songs, and the ratings they reconstruct:")
    let model = FactorModel(userFactors: p, itemFactors: q, ratingScale: scale)
    book.matrix(model.userFactors, rowNames: listeners, columnNames: factorNames, corner: "listener", caption: "Listener factors p")
    book.matrix(model.itemFactors, rowNames: songs, columnNames: factorNames, corner: "song", caption: "Song factors q")
    let predicted = model.predictedMatrix()
    try book.showCompleted(
        observed: transposed(ratings.dense), predicted: transposed(predicted.rowArrays),
        rowNames: songs, columnNames: listeners, corner: "song", caption: "ALS's reconstruction p · q",
        figure: "reconstructed", xLabel: "listener", yLabel: "song", scale: scale)
    let rmse = model.rmse(on: ratings)
    book.paragraph(
        """
        On the \(ratings.count) observed ratings the reconstruction, clipped to the 1-5 scale, is off by \(rmse, digits: 3) stars on
        average (root mean squared error; the table of half-steps measures p · q unclipped). The numbers in parentheses are the predictions for the empty cells, clipped to the 1-5
        scale: what ALS would recommend.
        """)
    if k >= 2 {
        // Rescale each factor so listeners and songs spread equally (P D⁻¹ and Q D leave every prediction as it is).
        var p = model.userFactors, q = model.itemFactors
        for f in 0..<k {
            let d = (norm(p.column(f)) / max(norm(q.column(f)), 1e-12)).squareRoot()
            for u in 0..<p.rows { p[u, f] /= d }
            for j in 0..<q.rows { q[j, f] *= d }
        }
        try book.figure(
            .scatter(
                name: "factors", title: "Songs and listeners in the learned factor space (first two factors, balanced)",
                xLabel: "factor 1", yLabel: "factor 2",
                groups: [
                    PointGroup("songs", points: songs.indices.map { Point(x: q[$0, 0], y: q[$0, 1], label: songs[$0]) }),
                    PointGroup("listeners", points: listeners.indices.map { Point(x: p[$0, 0], y: p[$0, 1], label: listeners[$0]) })
                ]))
        book.paragraph(
            (poorEnd
                ? """
                This run's factor plot shows its poor end: songs liked by different people can sit on top of each other, and
                a song can sit far from the rest. Run the seed named above to see what a good end looks like.
                """
                : """
                In the factor plot, songs that the same people like tend to end up near each other, and a listener points
                toward the songs they rate highly. Nobody told ALS which songs are indie: the grouping comes from the ratings.
                """) + " (Each factor is rescaled so listeners and songs share one scale; the next section shows why that changes no prediction.)")
    }

    // MARK: Not unique, still useful
    book.heading("The factors are not unique")
    var transform = Matrix.identity(k)
    for i in 0..<k { transform[i, i] = Double(i + 2) / 2; if i + 1 < k { transform[i, i + 1] = 0.5 } }
    let inverseTranspose = try inverse(transform).transposed
    let p2 = model.userFactors * transform, q2 = model.itemFactors * inverseTranspose
    let difference = zip((p2 * q2.transposed).elements, (model.userFactors * model.itemFactors.transposed).elements)
        .map { abs($0 - $1) }.max()!
    book.paragraph(
        """
        Take any invertible k × k matrix A, and replace the listener factors P by P A and the song factors Q by Q A⁻ᵀ.
        Every prediction stays the same, because (P A)(Q A⁻ᵀ)ᵀ = P A A⁻¹ Qᵀ = P Qᵀ. With an A of our choosing the
        largest change in any prediction is \(difference < 1e-9 ? "below 1e-9 (rounding only)" : "\(difference, digits: 12)").
        So the individual numbers f1, f2 mean nothing on their own. What one solution determines is what matters: its
        predictions, and which songs and listeners are alike. \(startsReading(this: predicted, restarts: restarts, ratings: ratings,
                                                                                listeners: listeners, songs: songs))
        """)
    book.record("transform_max_prediction_change", difference)

    // MARK: Results
    book.record("k", k)
    book.record("lambda", λ)
    book.record("objective_per_half_step", steps.map(\.objective))
    book.record("sse_per_half_step", steps.map(\.sumOfSquaredErrors))
    book.record("converged", converged)
    book.record("iterations", last.iteration)
    book.record("rmse_observed", rmse)
    book.record("listener_factors", Dictionary(uniqueKeysWithValues: listeners.indices.map { (listeners[$0], model.userFactors.row($0)) }))
    book.record("song_factors", Dictionary(uniqueKeysWithValues: songs.indices.map { (songs[$0], model.itemFactors.row($0)) }))
    book.record(
        "predictions",
        listeners.indices.map { u in
            JSONValue.object(songs.indices.filter { ratings.value(user: u, item: $0) == nil }.map { (songs[$0], predicted[u, $0].json) })
        }.enumerated().reduce(into: [String: JSONValue]()) { $0[listeners[$1.offset]] = $1.element })

    book.heading("Exercises")
    book.cellExercises()
    book.exercise(
        """
        Change k: run `swift run lesson-3 --k 1`, then `--k 3` and `--k 4`. How does the final error change? With
        k = 4, some songs have fewer ratings than factors: what happens, and why does `--lambda 0.1` fix it?
        """)
    book.exercise(
        """
        Add regularization: `swift run lesson-3 --lambda 0.5`. The SSE ends higher, yet the predictions for the
        empty cells may be more sensible. Compare them with those of λ = 0.
        """)
    book.exercise(
        """
        Start from a different seed: `swift run lesson-3 --seed \(book.seed == 7 ? 8 : 7)`, then `--seed 2024`. Compare the final errors
        and the factor plots. Are the factors the same? Are the predictions?
        """)
}
