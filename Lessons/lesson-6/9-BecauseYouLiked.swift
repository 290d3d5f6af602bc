// 9. Because you liked a movie: the movies whose factor vectors point the same way in the final model.

import CFCore
import LessonKit
import TextOutput

extension Lesson6 {
    func becauseYouLiked(_ final: FactorModel) {
        book.heading("Because you liked \(titles[anchor])")
        let counts = training.itemCounts
        let similar = final.similarItems(to: anchor, count: 10) { counts[$0] >= minimumRatings }
        book.paragraph(
            """
            Movies whose factor vectors point the same way are liked by the same people. The cosine of the angle between
            q_i and q_j measures that, from 1 (same direction) down to -1; biases play no part, so this is about taste, not
            popularity. Only movies with at least \(minimumRatings) training ratings are considered: a rarely rated movie's factors are mostly noise.
            """)
        book.table(
            Table(
                header: ["#", "movie", "cosine similarity", "training ratings"],
                rows: similar.enumerated().map { rank, s in
                    [String(rank + 1), titles[s.item], "\(s.similarity, digits: 3)", String(counts[s.item])]
                }), caption: "Most similar to \(titles[anchor])")
        book.record("similar_movie_ids", similar.map { movieLens.movieIDs[$0.item] })
    }
}
