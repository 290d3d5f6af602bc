// Section 7: the movies most like the anchor movie by the factors' cosine and by the baseline Pearson similarity.

import CFCore
import LessonKit
import TextOutput

extension Lesson7 {
    func neighboursByFactorsAndByRatings(_ factors: FactorModel, _ similarities: SimilarityTables) {
        book.heading("Neighbours by factors and by ratings")
        book.paragraph(
            """
            Two ways to find the movies most like \(titles[anchor]): the cosine of the factor model's vectors, and the baseline
            Pearson of section 2 on the ratings themselves. Movies in both lists are starred.
            """)
        let byFactors = factors.similarItems(to: anchor, count: 10) { fitCounts[$0] >= minimum }
        let byRatings = similarities[.pearsonBaseline].mostSimilar(to: anchor, count: 10) { fitCounts[$0] >= minimum }
        let shared = Set(byFactors.map(\.item)).intersection(byRatings.map(\.item))
        func title(_ item: Int) -> String { titles[item] + (shared.contains(item) ? " *" : "") }
        book.table(
            Table(
                header: ["#", "by factor cosine", "cos", "by baseline Pearson", "sim"],
                rows: (0..<min(byFactors.count, byRatings.count)).map { i in
                    [
                        String(i + 1), title(byFactors[i].item), "\(byFactors[i].similarity, digits: 2)", title(byRatings[i].item),
                        "\(byRatings[i].similarity, digits: 2)"
                    ]
                }), caption: "Most like \(titles[anchor]) (movies with at least \(minimum) ratings; * in both lists)")
        book.paragraph(
            """
            The two lists share \(shared.count) of 10 movies. The factor cosine compares what the model learned about each movie
            from all the ratings, so it can call two movies alike that few people rated together; the Pearson similarity only
            knows the people who rated both, and shrinks pairs with few of them.
            """)
        book.record("neighbours_overlap", shared.count)
    }
}
