/// The parts a ranking model is tuned and tested on, cut from interactions by one holdout rule applied twice.

/// One evaluation protocol's data: a test holdout cut from the interactions, and a validation holdout cut from what
/// is left by the same rule, so that every setting can be chosen without looking at the test.
///
/// `fit`, `validation`, `training` and `test` are interactions; `training` = `fit` + `validation`. The two rating sets
/// keep the stars of every cell outside the held-out ones: what a user has already seen (removed from their list), and
/// what a model trained on stars learns from.
public struct RankingSplit: Sendable {
    /// Interactions (value 1) a model is tuned on.
    public let fit: Ratings
    /// The interactions held out of `training` to tune on (with their values).
    public let validation: Ratings
    /// Interactions (value 1) the tuned model is finally trained on: `fit` and `validation` together.
    public let training: Ratings
    /// The interactions held out once, for the final test (with their values).
    public let test: Ratings
    /// Every rating except the test and validation cells.
    public let fitRatings: Ratings
    /// Every rating except the test cells.
    public let trainingRatings: Ratings

    /// Cuts `positives` (the cells that count as interactions) by `hold` into training and test, then the training
    /// part by `hold` again into fit and validation; `ratings` holds all the cells, `positives` among them.
    ///
    /// `hold` is called first on `positives`, then on the training part: a rule that draws random numbers draws them
    /// in that order.
    public init(
        ratings: Ratings, positives: Ratings,
        holding hold: (Ratings) throws -> (training: Ratings, heldOut: Ratings)
    ) rethrows {
        let (training, test) = try hold(positives)
        let (fit, validation) = try hold(training)
        let trainingRatings = ratings.removing(test)
        self.fit = fit.interactions
        self.validation = validation
        self.training = training.interactions
        self.test = test
        self.fitRatings = trainingRatings.removing(validation)
        self.trainingRatings = trainingRatings
    }

    /// The random protocol: `fraction` of each user's interactions held out at random, twice, by `rng`.
    public static func randomPerUser(
        _ fraction: Double, ratings: Ratings, positives: Ratings,
        rng: inout RandomState
    ) throws -> RankingSplit {
        try RankingSplit(ratings: ratings, positives: positives) { try $0.holdingOutPerUser(fraction, rng: &rng) }
    }

    /// Leave-last-out: each user's most recent interaction by `times` held out, twice.
    public static func latestPerUser(ratings: Ratings, positives: Ratings, times: Ratings) throws -> RankingSplit {
        try RankingSplit(ratings: ratings, positives: positives) { try $0.holdingOutLatest(times: times) }
    }

    /// The ratings the model is tuned against when it learns from stars: the validation cells with their stars.
    public var validationRatings: Ratings { trainingRatings.removing(fitRatings) }

    /// Users with at least one test interaction: the users a test averages over.
    public var testedUserCount: Int { (0..<test.userCount).filter { !test.ratings(ofUser: $0).isEmpty }.count }
}
