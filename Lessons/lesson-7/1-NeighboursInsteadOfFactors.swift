// Section 1: the idea, and the baseline every neighbour model corrects.

import TextOutput

extension Lesson7 {
    func neighboursInsteadOfFactors() {
        book.heading("Neighbours instead of factors")
        book.paragraph(
            """
            Lessons 3 to 6 explained every rating by hidden factors. The other family of collaborative filtering asks a
            plainer question: which movies did people rate alike? To predict how user u will rate movie i, look at the movies
            most like i that u has already rated, and see how u rated those. Like lesson 6, we keep the test ratings of
            \(split.description) for the very end and choose everything on \(validation.count) validation ratings carved from
            the \(training.count) training ratings (the rest, \(fit.count), is what the models learn from).
            """)
        book.paragraph(
            """
            Every prediction starts from lesson 6's baseline b_ui = μ + b_u + b_i (validation RMSE \(baselineRMSE, digits: 4)), and
            the neighbours only correct it: the prediction is b_ui plus a weighted average of how far u's ratings of the
            neighbouring movies were from their own baselines.
            """)
        book.code(
            "r̂_ui = b_ui + Σ_j sim(i, j) (r_uj − b_uj) / Σ_j sim(i, j),   over the k movies j most similar to i that u rated,\n"
                + "                                                  counting only those with sim(i, j) > 0")
    }
}
