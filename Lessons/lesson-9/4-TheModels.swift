// Section 4: the six rankers and their objectives (they are built in Models.swift).

import LessonKit

extension Lesson9 {
    func theModels() {
        book.heading("The models")
        book.paragraph(
            """
            Six rankers, from the trivial to the trained. Random scores every movie by a coin: the floor. Popularity
            shows everyone the most watched movies they have not seen. Item-item (lesson 7's neighbours, on interactions)
            scores a movie by the sum of its cosine similarities to the movies the user watched, each of those keeping only its
            n most similar movies. Weighted ALS (Hu, Koren and Volinsky, 2008) fits x_u · y_i to 1 for every watched pair
            and to 0 for every other pair, trusting the watched ones with confidence c = 1 + α. BPR (Rendle and others,
            2009) fits the order instead: for a watched movie i and an unwatched j, x_u · y_i + b_i should exceed x_u · y_j + b_j.
            The rating model is lesson 6's biased factor model, trained on the stars, ranking by predicted rating; it is
            shown twice, as it is and with the rule of lessons 5 to 8 that hides movies with too few interactions.
            """)
        book.code(
            """
            weighted ALS:  minimise Σ over all pairs (u, i) of c_ui (p_ui − x_u · y_i)² + λ (Σ ‖x_u‖² + Σ ‖y_i‖²),   p = 1 if watched, else 0
            BPR:           maximise Σ over sampled (u, i watched, j not) of ln σ(x_u · (y_i − y_j) + b_i − b_j) − λ ‖θ‖²
            """)
        book.paragraph(
            """
            Weighted ALS sums over all \(positives.userCount * positives.itemCount) pairs, yet a user's k × k system
            (YᵀY + Yᵀ(C_u − I)Y + λI) x_u = Yᵀ C_u p_u needs YᵀY once for everybody and then only the user's own movies. It can be
            solved exactly (Cholesky) or improved by three conjugate-gradient steps from the previous iteration's factors, as the
            `implicit` library does; both are timed below, and this run uses \(options.exactALS ? "the exact solve (`--exact-als`)" : "conjugate gradients (`--exact-als` switches to the exact solve)").
            """)
    }
}
