// Section 1: the ratings read as interactions, and how unevenly they fall on the movies.

import CFCore
import LessonKit
import TextOutput

extension Lesson9 {
    func whoWatchedWhat() {
        book.heading("Who watched what")
        book.paragraph(
            """
            Most recommenders never see a star. They see what people clicked, played or bought, and they are judged by the
            short list they show, not by how close a predicted rating comes. This lesson reads \(movieLens.format.rawValue) that
            way: \(Self.reading(threshold)). That gives
            \(positives.count) interactions between \(positives.userCount) users and \(positives.itemCount) movies, \(100 * positives.density, digits: 1)% of
            all pairs. A missing pair is not a dislike: the person may never have heard of the movie. There are no negatives
            in the data, only positives and the unknown, and a model must be trained and judged on that.
            """)
        let topTenthShare = LongTail(counts: positives.itemCounts).topTenthShare
        book.paragraph(Self.unevenness(topTenthShare: topTenthShare))
        book.record("interactions", positives.count)
        book.record("positive_only", options.positiveOnly)
        book.record("top_tenth_share", topTenthShare)
    }

    /// How unevenly the interactions fall on the movies, from the share the most watched tenth holds: "very uneven"
    /// above 30% (a tenth of the movies with three times its even share), "fairly even" otherwise.
    static func unevenness(topTenthShare: Double) -> String {
        """
        Interactions are \(topTenthShare > 0.3 ? "very uneven" : "fairly even"): the most watched tenth of the movies holds \(100 * topTenthShare, digits: 0)% of them. A
        list of the most popular movies is the recommender every model must beat, and it is harder to beat than it looks.
        """
    }

    /// What counts as an interaction, for a rating `threshold` (nil: every rating).
    static func reading(_ threshold: Double?) -> String {
        threshold.map {
            "only a rating of \(formatFixed($0, digits: 0)) stars or more counts as an interaction (a movie the person chose and liked); lower ratings only mark movies already seen"
        }
            ?? "every rating is an interaction, whatever its stars: the person chose to watch the movie"
    }
}
