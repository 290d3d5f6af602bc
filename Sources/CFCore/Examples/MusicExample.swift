/// A small, human-sized ratings example shared by the lessons on content-based filtering and ALS:
/// seven listeners, ten (invented) songs, ratings from 1 to 5 with about a third of the cells missing.
///
/// It also carries the "metadata" that content-based filtering needs and that real systems rarely
/// have: two style scores per song, and each listener's answers to a survey about those styles.
public enum MusicExample {
    /// The listeners, one per row of the ratings matrix.
    public static let listeners = ["ana", "ben", "cleo", "dev", "eli", "fay", "gus"]

    /// The songs, one per column of the ratings matrix.
    public static let songs = [
        "Paper Lanterns", "Basement Tapes", "Quiet Harbour", "Neon Parade", "Dance Floor Fever",
        "Sunday Drive", "Glitter Storm", "Cassette Heart", "Rooftop Summer", "Slow Motion Rain"
    ]

    /// The names of the two style dimensions.
    public static let styles = ["lo-fi indie", "upbeat"]

    /// The observed ratings (listeners × songs); `nil` where a listener has not rated a song.
    public static let dense: [[Double?]] = [
        // Paper  Basem. Quiet  Neon   Dance  Sunday Glitt. Cass.  Rooft. Slow
        [5, 5, 4, 2, 1, 3, nil, 3, 3, 5],  // ana
        [nil, 1, nil, 5, 5, 3, nil, 3, nil, 1],  // ben
        [5, 4, 4, 5, 4, 4, nil, 4, 5, nil],  // cleo
        [4, 5, 4, 1, nil, nil, 1, nil, nil, 4],  // dev
        [nil, 1, 2, nil, 4, 3, 4, nil, nil, 1],  // eli
        [4, nil, 3, 3, 3, nil, 2, 4, 3, nil],  // fay
        [nil, nil, 3, 5, nil, 3, nil, nil, nil, 2]  // gus
    ]

    /// The observed ratings as a sparse `Ratings`.
    public static var ratings: Ratings {
        // The table above is valid by construction: every cell once, inside the matrix, finite.
        Ratings(
            trusted: dense.enumerated().flatMap { u, row in
                row.enumerated().compactMap { i, value in value.map { Rating(user: u, item: i, value: $0) } }
            }, userCount: dense.count, itemCount: dense[0].count)
    }

    /// How "lo-fi indie" and how "upbeat" each song is, from 0 to 1 (songs × 2): the known item factors
    /// of content-based filtering, as a music editor might have tagged them.
    public static let songStyles = Matrix([
        [0.9, 0.2], [0.95, 0.1], [0.8, 0.3], [0.1, 0.95], [0.05, 1.0],
        [0.5, 0.6], [0.2, 0.85], [0.7, 0.5], [0.3, 0.9], [0.85, 0.05]
    ])

    /// Each listener's survey answers, "how much do you like lo-fi indie / upbeat music?", from 0 to 5
    /// (listeners × 2): the known user factors of the reverse direction.
    public static let listenerSurvey = Matrix([
        [5, 1], [1, 5], [4, 4], [5, 0.5], [0.5, 5], [3, 2.5], [2, 4.5]
    ])

    /// The rating scale.
    public static let scale: ClosedRange<Double> = 1...5
}
