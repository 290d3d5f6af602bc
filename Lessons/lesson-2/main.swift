// Lesson 2: content-based filtering, and its reverse.
//
// Run it with `swift run lesson-2`; try `swift run lesson-2 --lambda 0.5`.

import CFCore
import Exercises
import Figures
import LessonKit
import TextOutput

let options = Options.parseOrExplain()
let λ = options.lambda
let chosenCells: any Lesson2Cells = options.common.solutions ? Lesson2Exercises.solutions : YourCells()

Lesson.run(2, options: options.common, exercises: chosenCells.exercises()) { book in
    let cells = chosenCells.completed(book.writtenCells)
    let listeners = MusicExample.listeners, songs = MusicExample.songs, styles = MusicExample.styles
    let ratings = MusicExample.ratings
    let scale = MusicExample.scale

    book.paragraph(
        """
        In lesson 1 we invented the factors and computed scores. Real systems start from the other end: a
        ratings matrix with holes in it. Here are seven listeners and ten songs, rated from 1 to 5. About a third
        of the cells are empty: those are the ratings we would like to predict, to know what to play next.
        """)
    book.heading("The ratings")
    book.paragraph(
        """
        We store the matrix as listeners × songs, R[u, j] being listener u's rating of song j. To fit the page, the
        table shows it turned on its side: one row per song, one column per listener.
        """)
    try book.showRatings(
        transposed(ratings.dense), rowNames: songs, columnNames: listeners, corner: "song",
        caption: "Observed ratings", figure: "ratings", xLabel: "listener", yLabel: "song", scale: scale)
    book.record("ratings_observed", ratings.count)

    // MARK: Direction 1: known song styles, learned listener tastes
    book.heading("Direction 1: the songs are described, the listeners are learned")
    book.paragraph(
        """
        Suppose a music editor has tagged every song with two style scores from 0 to 1: how lo-fi indie it is and
        how upbeat. These are the songs' factors x_j, known in advance.
        """)
    // ✏️ Exercise: change a song's style scores in Sources/CFCore/Examples/MusicExample.swift.
    let songStyles = MusicExample.songStyles
    book.matrix(songStyles, rowNames: songs, columnNames: styles, corner: "song", caption: "Song styles x (known)")
    book.paragraph(
        """
        If listener u's taste vector is θ_u, we predict their rating of song j as θ_u · x_j. The best θ_u is the one
        whose predictions come closest to the ratings u actually gave: a linear regression, without intercept, of
        u's ratings on the styles of the songs u rated. One small regression per listener:
        """)
    book.code(
        "θ_u = argmin  Σ over songs j rated by u of (θ · x_j − R[u, j])²  +  λ ‖θ‖²\n    = (XᵀX + λI)⁻¹ Xᵀ r        (X: the rated songs' styles, r: u's ratings)"
    )
    // ✏️ One regression per listener: your `listenerTastes` (Cells.swift), once written.
    let tastes = Matrix(try listeners.indices.map { try cells.listenerTastes(ratings, listener: $0, songStyles: songStyles, lambda: λ) })
    let byTastes = FactorModel(userFactors: tastes, itemFactors: songStyles, ratingScale: scale)
    let sseUsers = Metrics.sumOfSquaredErrors(FactorModel(userFactors: tastes, itemFactors: songStyles), on: ratings)
    book.table(
        Table(
            header: ["listener"] + styles.map { "θ " + $0 } + ["songs rated", "squared error"],
            rows: listeners.indices.map { u in
                let own = ratings.ratings(ofUser: u)
                let error = own.reduce(0.0) { $0 + pow2(byTastes.score(user: u, item: Int($1.item)) - $1.value) }
                return [listeners[u]] + tastes.row(u).map { "\($0, digits: 2)" } + [String(own.count), "\(error, digits: 2)"]
            }), caption: "Learned tastes θ (one regression per listener)")
    book.paragraph(
        """
        ana's weight on lo-fi indie is large and on upbeat small; ben is the opposite; cleo likes both. The
        regression found, from ratings alone, what each listener responds to in the editor's tags.
        """)
    let ben = 1
    book.table(
        Table(
            header: ["song", "style x", "actual", "fitted θ·x"],
            rows: ratings.ratings(ofUser: ben).map { r in
                let j = r.item
                return [
                    songs[j], songStyles.row(j).map { "\($0, digits: 2)" }.joined(separator: ", "),
                    "\(r.value, digits: 0)", "\(byTastes.score(user: ben, item: j), digits: 2)"
                ]
            }), caption: "\(listeners[ben]): fitted against actual ratings")
    book.table(
        Table(
            header: ["song", "predicted"],
            rows: (0..<songs.count).filter { ratings.value(user: ben, item: $0) == nil }.map {
                [songs[$0], "\(byTastes.predict(user: ben, item: $0), digits: 2)"]
            }), caption: "\(listeners[ben]): predictions for the songs not yet rated")
    try book.showCompleted(
        observed: transposed(ratings.dense), predicted: transposed(byTastes.predictedMatrix().rowArrays),
        rowNames: songs, columnNames: listeners, corner: "song", caption: "Completed with learned tastes",
        figure: "completed-by-listener", xLabel: "listener", yLabel: "song", scale: scale)
    book.paragraph(
        """
        Total squared error on the \(ratings.count) observed ratings: \(sseUsers, digits: 3). Predictions are
        clipped to the 1-5 scale: a plain dot product knows nothing about where the scale ends.
        """)

    // MARK: Direction 2: known listener tastes, learned song styles
    book.heading("Direction 2: the listeners are described, the songs are learned")
    book.paragraph(
        """
        Now turn it around. Suppose we know nothing about the songs, but every listener has answered a survey:
        from 0 to 5, how much do you like lo-fi indie, and how much upbeat music? Those answers are the listeners'
        factors θ_u. For each song, we regress its ratings on the survey answers of the people who rated it, and
        the coefficients are the song's style scores x_j.
        """)
    let survey = MusicExample.listenerSurvey
    book.matrix(survey, rowNames: listeners, columnNames: styles, corner: "listener", caption: "Survey answers θ (known)")
    // ✏️ One regression per song: your `songStyles` (Cells.swift), once written.
    let learnedStyles = Matrix(try songs.indices.map { try cells.songStyles(ratings, song: $0, listenerTastes: survey, lambda: λ) })
    let bySurvey = FactorModel(userFactors: survey, itemFactors: learnedStyles, ratingScale: scale)
    let sseItems = Metrics.sumOfSquaredErrors(FactorModel(userFactors: survey, itemFactors: learnedStyles), on: ratings)
    let fewestCount = songs.indices.map { ratings.ratings(ofItem: $0).count }.min()!
    let fewest = songs.indices.filter { ratings.ratings(ofItem: $0).count == fewestCount }
    book.table(
        Table(
            header: ["song"] + styles.map { "learned " + $0 } + styles.map { "editor " + $0 } + ["ratings"],
            rows: songs.indices.map { j in
                [songs[j]] + learnedStyles.row(j).map { "\($0, digits: 2)" } + songStyles.row(j).map { "\($0, digits: 2)" }
                    + [String(ratings.ratings(ofItem: j).count)]
            }), caption: "Learned song styles x (one regression per song), next to the editor's tags")
    book.paragraph(
        """
        \(tagsReading(learned: learnedStyles, tags: songStyles, songs: songs, styles: styles)) They were computed from ratings and
        survey answers alone: the ratings carry the information about the songs. Where a song has few ratings
        (\(fewest.map { songs[$0] }.joined(separator: " and ")) \(fewest.count == 1 ? "has" : "have") only \(fewestCount))
        the estimate leans on very little evidence.
        """)
    try book.showCompleted(
        observed: transposed(ratings.dense), predicted: transposed(bySurvey.predictedMatrix().rowArrays),
        rowNames: songs, columnNames: listeners, corner: "song", caption: "Completed with learned song styles",
        figure: "completed-by-song", xLabel: "listener", yLabel: "song", scale: scale)
    book.paragraph("Total squared error on the observed ratings: \(sseItems, digits: 3).")
    // The two directions side by side at each rating (one a little left, one a little right), so neither hides the other.
    func fitPoints(_ model: FactorModel, shift: Double) -> [Point] {
        ratings.entries.map { Point(x: $0.value + shift, y: model.score(user: $0.user, item: $0.item)) }
    }
    try book.figure(
        .scatter(
            name: "fitted-vs-actual", title: "Fitted against actual ratings, both directions",
            xLabel: "actual rating", yLabel: "fitted rating (dot product)",
            groups: [
                PointGroup("learned tastes, known song styles (shifted left)", points: fitPoints(byTastes, shift: -0.08)),
                PointGroup("learned song styles, known tastes (shifted right)", points: fitPoints(bySurvey, shift: 0.08))
            ],
            diagonal: true))

    // MARK: Too few ratings
    book.heading("A listener with one rating")
    book.paragraph(
        """
        A new listener, hal, has rated one song: Neon Parade, 5 stars. With two style dimensions, hal's taste θ has
        two unknowns but we have one equation, θ · x = 5. Infinitely many θ fit it exactly, so ordinary least squares
        has no unique answer (the matrix XᵀX is singular):
        """)
    let neonParade = 3
    let halX = Matrix([songStyles.row(neonParade)])
    do {
        _ = try LeastSquares.solve(halX, [5])
        book.note("unexpectedly, the unpenalized system was solvable")
    } catch {
        book.code("λ = 0:  " + String(describing: error))
    }
    let halλ = λ > 0 ? λ : 0.1
    let hal = try LeastSquares.solve(halX, [5], lambda: halλ)
    book.paragraph(
        """
        An L2 penalty picks one answer: among all θ that fit, it prefers small ones, and so points θ along the styles
        of the one song hal rated. With λ = \(halλ, digits: 2), hal's θ = (\(hal.map { "\($0, digits: 2)" }.joined(separator: ", "))),
        predicting \(dot(hal, halX.row(0)), digits: 2) for Neon Parade (a little under 5: the price of the penalty)
        and \(dot(hal, songStyles.row(4)), digits: 2) for Dance Floor Fever, a song of the same style.
        The larger λ, the more every θ shrinks toward zero.
        """)
    book.record("lambda", λ)
    book.record("listener_tastes", Dictionary(uniqueKeysWithValues: listeners.indices.map { (listeners[$0], tastes.row($0)) }))
    book.record("song_styles_learned", Dictionary(uniqueKeysWithValues: songs.indices.map { (songs[$0], learnedStyles.row($0)) }))
    book.record("sse_listener_regressions", sseUsers)
    book.record("sse_song_regressions", sseItems)
    book.record("hal_tastes", hal)

    // MARK: The catch
    book.heading("The catch")
    book.paragraph(
        """
        Both directions work, but each needs half of the factors handed to it: an editor tagging every song, or
        every listener answering a survey, in dimensions somebody chose in advance. At the scale of a real catalogue,
        millions of songs and listeners, that metadata is expensive, incomplete and often not what drives taste.
        Yet direction 1 learns the listeners from the songs, and direction 2 learns the songs from the listeners.
        What if we knew neither, and took turns? That is the next lesson: alternating least squares.
        """)

    book.heading("Exercises")
    book.cellExercises()
    book.exercise(
        """
        Run `swift run lesson-2 --lambda 1` and then `--lambda 10`. How do the learned tastes and the squared error
        change? Why do the predictions sink toward the bottom of the scale rather than toward its middle? (Hint:
        there is no intercept, so shrinking θ shrinks every prediction toward 0. Lesson 5 fixes this.)
        """)
    book.exercise(
        """
        In Sources/CFCore/Examples/MusicExample.swift (marked ✏️ in this lesson), make Quiet Harbour very upbeat
        (0.1, 0.9) and run again. Whose tastes change the most, and why?
        """)
    book.exercise(
        """
        Give hal a second rating by hand: which second song would pin down hal's two tastes best, one similar
        to Neon Parade or one very different? Check with LeastSquares.solve in main.swift.
        """)
}

/// x².
func pow2(_ x: Double) -> Double { x * x }

/// How close the learned song styles come to the editor's tags: "close" when no entry is more than 0.15 away, else the
/// largest gap named.
func tagsReading(learned: Matrix, tags: Matrix, songs: [String], styles: [String]) -> String {
    var gap = (song: 0, style: 0, size: 0.0)
    for j in 0..<learned.rows {
        for f in 0..<learned.columns where abs(learned[j, f] - tags[j, f]) > gap.size {
            gap = (j, f, abs(learned[j, f] - tags[j, f]))
        }
    }
    let largest =
        "\(songs[gap.song]), \(styles[gap.style]): \(formatFixed(learned[gap.song, gap.style], digits: 2)) learned against \(formatFixed(tags[gap.song, gap.style], digits: 2)) tagged"
    return gap.size <= 0.15
        ? "The learned styles land close to the editor's tags: no entry is more than 0.15 away."
        : "The learned styles follow the editor's tags roughly; the largest gap is \(largest)."
}
