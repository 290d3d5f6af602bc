// Lesson 1: latent factors and the dot product.
//
// Run it with `swift run lesson-1` (or `make lesson-1`). Everything it prints is also written to
// output/lesson-1/README.md, with its figures beside it.

import CFCore
import Exercises
import Figures
import LessonKit
import TextOutput

let options = Options.parseOrExplain()
let chosenCells: any Lesson1Cells = options.common.solutions ? Lesson1Exercises.solutions : YourCells()

Lesson.run(1, options: options.common, exercises: chosenCells.exercises(users: Matrix(builtInUsers.map(\.tastes)), movies: Matrix(movies.map(\.factors)))) {
    book in
    let cells = chosenCells.completed(book.writtenCells)

    book.paragraph(
        """
        Why does one person love Star Wars and shrug at Casablanca? Suppose every movie could be described by a
        few numbers, its hidden ("latent") factors, and every user by how much they like each of those factors.
        Then a single sum tells us how well a movie matches a person.
        """)

    // MARK: The factors
    book.heading("Three taste dimensions")
    book.paragraph(
        """
        We use three dimensions, each a number from -1 to 1: how much science fiction a movie is, how new it is
        (negative means older), and how much action it has. A user's vector says how much they enjoy each one.
        """)

    let users = builtInUsers + (options.you.map { [("you", $0.values)] } ?? [])

    let movieFactors = Matrix(movies.map(\.factors))
    let userTastes = Matrix(users.map(\.tastes))
    book.matrix(
        movieFactors, rowNames: movies.map(\.name), columnNames: factorNames, corner: "movie",
        caption: "Movie factors")
    book.matrix(
        userTastes, rowNames: users.map(\.name), columnNames: factorNames, corner: "user",
        caption: "User tastes")

    // MARK: One score, worked by hand
    book.heading("A score is a dot product")
    book.paragraph(
        """
        To score a movie for a user, multiply their vectors dimension by dimension and add up the products.
        Each product is positive when the user likes what the movie has (or dislikes what it lacks) and negative
        when they disagree.
        """)
    let user1 = users[0]
    var readings = [String]()
    for movie in movies.prefix(2) {
        let products = zip(user1.tastes, movie.factors).map { $0 * $1 }
        let score = try cells.score(tastes: user1.tastes, factors: movie.factors)  // ✏️ your `score` (Cells.swift), once written
        readings.append(scoreReading(user: user1.name, movie: movie.name, score: score, products: products, dimensions: factorNames))
        book.table(
            Table(
                header: ["dimension", user1.name, movie.name, "product"],
                rows: factorNames.indices.map { d in
                    [
                        factorNames[d], "\(user1.tastes[d], digits: 2)", "\(movie.factors[d], digits: 2)",
                        "\(products[d], digits: 3)"
                    ]
                } + [["sum", "", "", "\(score, digits: 3)"]]
            ), caption: "\(user1.name) × \(movie.name)")
        try book.figure(
            .bars(
                name: "contributions-" + movie.name.lowercased().replacingOccurrences(of: " ", with: "-"),
                title: "What each factor adds to \(user1.name)'s score for \(movie.name) (total \(score, digits: 3))",
                xLabel: "latent factor", yLabel: "taste × factor",
                labels: factorNames, values: products))
        book.record("score_" + movie.name.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined(), score)
    }
    book.paragraph(
        readings.joined(separator: " ")
            + " The score is not a rating on a 1-5 scale yet; it is a match: the larger, the better.")

    // MARK: Every user, every movie
    book.heading("Every user and every movie at once")
    book.paragraph(
        """
        Stacking the user vectors as the rows of a matrix U and the movie vectors as the rows of M, all the
        scores come out of one matrix product: S = U Mᵀ. Entry (u, m) is the dot product of user u and movie m.
        """)
    let scoreMatrix = try cells.scoreMatrix(users: userTastes, movies: movieFactors)  // ✏️ your `scoreMatrix` (Cells.swift), once written
    book.matrix(
        scoreMatrix, rowNames: users.map(\.name), columnNames: movies.map(\.name), corner: "S = U Mᵀ",
        digits: 2, caption: "Scores")
    try book.figure(
        .heatmap(
            name: "scores", title: "Match score of every user for every movie (S = U Mᵀ)",
            xLabel: "movie", yLabel: "user",
            Heatmap(
                scoreMatrix.rowArrays.map { $0.map(Optional.some) }, rowLabels: users.map(\.name),
                columnLabels: movies.map(\.name), colorbarLabel: "score (dot product)", digits: 2, diverging: true)))
    try book.figure(
        .heatmap(
            name: "movie-factors", title: "The latent factors of each movie", xLabel: "factor", yLabel: "movie",
            Heatmap(
                movieFactors.rowArrays.map { $0.map(Optional.some) }, rowLabels: movies.map(\.name),
                columnLabels: factorNames, colorbarLabel: "factor value", range: -1...1, digits: 2, diverging: true)))
    book.paragraph("Reading along each row, every user's best match is the movie with the largest score:")
    book.table(
        Table(
            header: ["user", "best match", "score"],
            rows: users.indices.map { u in
                let best = (0..<movies.count).max { scoreMatrix[u, $0] < scoreMatrix[u, $1] }!
                return [users[u].name, movies[best].name, "\(scoreMatrix[u, best], digits: 2)"]
            }))
    book.record("users", users.map(\.name))
    book.record("movies", movies.map(\.name))
    book.record("scores", scoreMatrix.rowArrays)

    // MARK: Where do the factors come from?
    book.heading("But who knows the factors?")
    book.paragraph(
        """
        Everything above rests on numbers we made up. Nobody hands us a movie's "sci-fi-ness" to two decimals,
        and nobody fills in a questionnaire of their tastes for every dimension that matters. Worse, the
        dimensions that best explain what people like may have no name at all. The next lessons turn the problem
        around: we start from the ratings people actually give, and learn both the movie factors and the user
        tastes from them, so that their dot products reproduce the ratings we have and predict the ones we don't.
        """)

    book.heading("Exercises")
    book.cellExercises()
    book.exercise(
        """
        Edit user_1's tastes in Lessons/lesson-1/Tastes.swift (look for the ✏️ marks), or run `swift run lesson-1 --you 0.2,0.9,-0.5`
        to add yourself. Which movie wins now? Can you find a taste vector for which Casablanca beats Star Wars?
        """)
    book.exercise(
        """
        Add a movie of your own to the list in Lessons/lesson-1/Tastes.swift with three factors in [-1, 1]. Before running, predict
        which user will like it most, then check the scores table and the heatmap.
        """)
    book.exercise(
        """
        Multiply every taste of one user by 2. How do that user's scores change, and does their favourite movie
        change? What does that say about reading a score as a rating?
        """)
}
