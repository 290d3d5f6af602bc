// Lesson 5's shared state: what every section reads, and the small values the sections hand on to later ones.

import CFCore
import Exercises
import LessonKit
import MovieLens

/// What the sections of lesson 5 share: the notebook, the run's options and cells, the data and its split. The
/// data section makes it (`Lesson5.theData`); the models the later sections train are passed on as values.
struct Lesson5 {
    let book: Notebook
    let options: Options
    let cells: any Lesson5Cells
    let movieLens: MovieLens
    /// The MovieLens user the recommendations are for (a dense index), and the new user: you.
    let user: Int, newUser: NewUser
    let training: Ratings, test: Ratings
    /// Fewer training ratings than this, and a movie is not recommended (lesson 5's rule, used again in lesson 6).
    let minimumRatings: Int
    /// The lesson's random numbers, seeded with the run's seed: the starting factors first, later your θ.
    var rng: RandomState

    var k: Int { options.k }
    var lambda: Double { options.lambda }
    /// Batch gradient descent's learning rate: --alpha when given, else scaled to the number of ratings (`scaledAlpha`).
    var alpha: Double { options.alpha ?? Self.scaledAlpha(ratings: movieLens.ratings.count) }
    var scale: ClosedRange<Double> { movieLens.scale }
}

/// Where both trainings start: movie features X (movies × k) and user preferences Θ (users × k).
typealias Start = (features: Matrix, preferences: Matrix)

/// The movie means, shrunk and plain, the training ratings with the shrunk means taken out, and the baseline they make.
struct Normalization {
    let means: [Double], plainMeans: [Double]
    let ratings: Ratings
    let baseline: FactorModel, baselineRMSE: Double
}

/// A trained factor model, its cost J after each pass over the ratings (the start first), and its training time.
struct Trained {
    let model: FactorModel
    let costs: [Double]
    let seconds: Double
}
