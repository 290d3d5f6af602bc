// Section 2: the two evaluation protocols, random per user and leave last out, each with its validation split.

import CFCore
import LessonKit
import TextOutput

extension Lesson9 {
    mutating func twoWaysToHoldOut() throws {
        book.heading("Two ways to hold out")
        splits = try makeSplits()
        book.paragraph(
            """
            The random protocol holds out 20% of each user's interactions, chosen at random: can the model find the rest of
            what a person watched? It is usually the easier one, because the held-out movies are mixed through the person's whole
            history. Leave-last-out holds out each user's most recent interaction by its timestamp: can the model guess what
            the person watched next? That is closer to a deployed recommender, which only ever knows the past. Each protocol
            carves a validation split from its training interactions the same way (random 20% again, or the last interaction
            before the held-out one), and every setting below is chosen on it; the test interactions are used once.
            \(movieLens.times == nil ? "This data set has no timestamps, so only the random protocol runs." : "")
            """)
        book.table(
            Table(
                header: ["protocol", "fit", "validation", "training", "test", "users tested"],
                rows: splits.map { split in
                    let s = split.data
                    return [
                        split.holdOut.name, String(s.fit.count), String(s.validation.count), String(s.training.count), String(s.test.count),
                        String(s.testedUserCount)
                    ]
                }), caption: "Interactions in each part (training = fit + validation)")
        book.record(
            "splits",
            JSONValue.object(
                splits.map { split in
                    let s = split.data
                    return (
                        split.holdOut.key,
                        JSONValue.object([
                            ("fit", s.fit.count.json), ("validation", s.validation.count.json),
                            ("training", s.training.count.json), ("test", s.test.count.json)
                        ])
                    )
                }))
    }

    /// The random protocol, and leave-last-out when the data has timestamps.
    func makeSplits() throws -> [Split] {
        var rng = RandomState(seed: seed &+ 21)
        var splits = [Split(holdOut: .random, data: try .randomPerUser(0.2, ratings: movieLens.ratings, positives: positives, rng: &rng))]
        if let times = movieLens.times {
            splits.append(Split(holdOut: .last, data: try .latestPerUser(ratings: movieLens.ratings, positives: positives, times: times)))
        }
        return splits
    }
}
