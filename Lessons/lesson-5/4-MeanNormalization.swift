// 4. Mean normalization: each movie's (shrunk) mean taken out before training, and the baseline it makes on its own.

import CFCore
import LessonKit
import TextOutput

extension Lesson5 {
    func meanNormalization() -> Normalization {
        book.heading("Mean normalization")
        let prior = Ratings.meanPrior
        let means = training.itemMeans(prior: prior), plainMeans = training.itemMeans()
        let normalized = training.subtracting(itemOffsets: means)
        book.paragraph(
            """
            Before training we subtract each movie's mean rating from its ratings, learn X and Θ on what is left, and add the
            mean back when predicting: prediction = mean_i + θ_u · x_i. The factors then only have to explain how a user
            departs from a movie's usual reception. It also gives a sensible answer for a user with no ratings at all: their θ
            is pulled to 0 by the L2 term, so they are predicted each movie's mean rating instead of 0.
            """)
        book.paragraph(
            """
            One refinement: a movie rated 5 by two people has a plain mean of 5, which says more about luck than about the
            movie, and every user would be predicted 5 for it. So each mean is shrunk toward the mean of all ratings
            (\(training.mean, digits: 2)) by a prior worth \(prior, digits: 0) ratings: mean_i = (sum of its ratings + \(prior, digits: 0) ×
            \(training.mean, digits: 2)) / (its number of ratings + \(prior, digits: 0)). Two 5s give
            \((10 + prior * training.mean) / (2 + prior), digits: 2); with hundreds of ratings the movie keeps its own mean.
            """)
        let baseline = FactorModel(
            userFactors: Matrix(rows: training.userCount, columns: 1), itemFactors: Matrix(rows: training.itemCount, columns: 1),
            itemBias: means, ratingScale: scale)
        let baselineTest = baseline.rmse(on: test)
        let plainBaseline = FactorModel(
            userFactors: baseline.userFactors, itemFactors: baseline.itemFactors, itemBias: plainMeans,
            ratingScale: scale)
        let plainTest = plainBaseline.rmse(on: test)
        let counts = training.itemCounts
        let rare = training.entries.filter { counts[$0.item] < 20 }
        let rareMean = rare.isEmpty ? training.mean : rare.reduce(0) { $0 + $1.value } / Double(rare.count)
        let shrinking = Comparison.paired(baseline.squaredErrors(on: test), plainBaseline.squaredErrors(on: test)).verdict
        book.paragraph(Self.baselineReading(shrunk: baselineTest, plain: plainTest, rareMean: rareMean, mean: training.mean, shrinking: shrinking))
        book.record("baseline_movie_mean_rmse_test", baselineTest)
        book.record("baseline_plain_movie_mean_rmse_test", plainTest)
        return Normalization(means: means, plainMeans: plainMeans, ratings: normalized, baseline: baseline, baselineRMSE: baselineTest)
    }

    /// What the movie-mean baseline scores, and whether shrinking the means cost or gained RMSE beyond the noise (and why,
    /// when it cost): `shrunk` and `plain` are the test RMSEs of the two means, `shrinking` the shrunk means' squared
    /// errors against the plain ones', rating by rating, `rareMean` the mean rating of movies with under 20.
    static func baselineReading(shrunk: Double, plain: Double, rareMean: Double, mean: Double, shrinking: Comparison.Verdict) -> String {
        let why =
            rareMean < mean
            ? ", likely because the ratings of rarely rated movies (fewer than 20) average \(formatFixed(rareMean, digits: 2)), below the global mean \(formatFixed(mean, digits: 2)) it pulls them to (lesson 6's biases learn that)"
            : ""
        let verdict =
            switch shrinking {
            case .firstHigher: ": shrinking costs a little accuracy here, more than the noise\(why). It is done for trust, not for RMSE"
            case .tie: ": shrinking neither costs nor gains RMSE here beyond the noise; it is done for trust"
            case .secondHigher: ": shrinking also helps the RMSE here, by more than the noise"
            }
        return """
            That mean alone is already a recommender of sorts. Predicting every test rating by the movie's shrunk mean in the training
            ratings gives an RMSE of \(formatFixed(shrunk, digits: 4)) stars: the number to beat. The plain means give \(formatFixed(plain, digits: 4))\(verdict).
            """
    }
}
