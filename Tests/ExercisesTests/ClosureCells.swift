// Each lesson's cells as a set of closures, so that a test can write a wrong version of one cell in a line and keep
// the worked solutions for the others.
import CFCore
import Exercises

struct Lesson1Closures: Lesson1Cells {
    var score: @Sendable ([Double], [Double]) throws -> Double
    var scoreMatrix: @Sendable (Matrix, Matrix) throws -> Matrix
    init(score: @escaping @Sendable ([Double], [Double]) throws -> Double, scoreMatrix: @escaping @Sendable (Matrix, Matrix) throws -> Matrix) {
        self.score = score
        self.scoreMatrix = scoreMatrix
    }
    init(_ c: any Lesson1Cells) { self.init(score: c.score, scoreMatrix: c.scoreMatrix) }
    static let solutions = Self(Lesson1Exercises.solutions), reference = Self(Lesson1Exercises.reference)
    func score(tastes: [Double], factors: [Double]) throws -> Double { try score(tastes, factors) }
    func scoreMatrix(users: Matrix, movies: Matrix) throws -> Matrix { try scoreMatrix(users, movies) }
}

struct Lesson2Closures: Lesson2Cells {
    typealias Regression = @Sendable (Ratings, Int, Matrix, Double) throws -> [Double]
    var listenerTastes: Regression, songStyles: Regression
    init(listenerTastes: @escaping Regression, songStyles: @escaping Regression) {
        self.listenerTastes = listenerTastes
        self.songStyles = songStyles
    }
    init(_ c: any Lesson2Cells) { self.init(listenerTastes: c.listenerTastes, songStyles: c.songStyles) }
    static let solutions = Self(Lesson2Exercises.solutions), reference = Self(Lesson2Exercises.reference)
    func listenerTastes(_ ratings: Ratings, listener u: Int, songStyles: Matrix, lambda: Double) throws -> [Double] {
        try listenerTastes(ratings, u, songStyles, lambda)
    }
    func songStyles(_ ratings: Ratings, song j: Int, listenerTastes: Matrix, lambda: Double) throws -> [Double] {
        try songStyles(ratings, j, listenerTastes, lambda)
    }
}

struct Lesson3Closures: Lesson3Cells {
    var halfStep: @Sendable (Side, Ratings, Matrix, Double) throws -> Matrix
    var objective: @Sendable (Ratings, Matrix, Matrix, Double) throws -> Double
    init(
        halfStep: @escaping @Sendable (Side, Ratings, Matrix, Double) throws -> Matrix,
        objective: @escaping @Sendable (Ratings, Matrix, Matrix, Double) throws -> Double
    ) {
        self.halfStep = halfStep
        self.objective = objective
    }
    init(_ c: any Lesson3Cells) { self.init(halfStep: c.halfStep, objective: c.objective) }
    static let solutions = Self(Lesson3Exercises.solutions), reference = Self(Lesson3Exercises.reference)
    func halfStep(_ side: Side, _ ratings: Ratings, fixed: Matrix, lambda: Double) throws -> Matrix { try halfStep(side, ratings, fixed, lambda) }
    func objective(_ ratings: Ratings, listeners p: Matrix, songs q: Matrix, lambda: Double) throws -> Double { try objective(ratings, p, q, lambda) }
}

struct Lesson4Closures: Lesson4Cells {
    var sgdEpoch: @Sendable (Ratings, inout Matrix, inout Matrix, Double, Double) throws -> Void
    init(sgdEpoch: @escaping @Sendable (Ratings, inout Matrix, inout Matrix, Double, Double) throws -> Void) { self.sgdEpoch = sgdEpoch }
    init(_ c: any Lesson4Cells) { self.init(sgdEpoch: c.sgdEpoch) }
    static let solutions = Self(Lesson4Exercises.solutions), reference = Self(Lesson4Exercises.reference)
    func sgdEpoch(_ observed: Ratings, u: inout Matrix, v: inout Matrix, learningRate lr: Double, reg: Double) throws {
        try sgdEpoch(observed, &u, &v, lr, reg)
    }
}

struct Lesson5Closures: Lesson5Cells {
    var cost: @Sendable (Ratings, Matrix, Matrix, Double) throws -> Double
    var gradients: @Sendable (Ratings, Matrix, Matrix, Double) throws -> Gradients
    var gradientStep: @Sendable (Ratings, inout Matrix, inout Matrix, Double, Double) throws -> Void
    init(
        cost: @escaping @Sendable (Ratings, Matrix, Matrix, Double) throws -> Double,
        gradients: @escaping @Sendable (Ratings, Matrix, Matrix, Double) throws -> Gradients,
        gradientStep: @escaping @Sendable (Ratings, inout Matrix, inout Matrix, Double, Double) throws -> Void
    ) {
        self.cost = cost
        self.gradients = gradients
        self.gradientStep = gradientStep
    }
    init(_ c: any Lesson5Cells) { self.init(cost: c.cost, gradients: c.gradients, gradientStep: c.gradientStep) }
    static let solutions = Self(Lesson5Exercises.solutions), reference = Self(Lesson5Exercises.reference)
    func cost(_ ratings: Ratings, features x: Matrix, preferences theta: Matrix, lambda: Double) throws -> Double { try cost(ratings, x, theta, lambda) }
    func gradients(_ ratings: Ratings, features x: Matrix, preferences theta: Matrix, lambda: Double) throws -> Gradients {
        try gradients(ratings, x, theta, lambda)
    }
    func gradientStep(_ ratings: Ratings, features x: inout Matrix, preferences theta: inout Matrix, alpha: Double, lambda: Double) throws {
        try gradientStep(ratings, &x, &theta, alpha, lambda)
    }
}

struct Lesson6Closures: Lesson6Cells {
    var sgdUpdate: @Sendable (inout FactorModel, Int, Int, Double, Double, Double, Double) throws -> Void
    var foldIn: @Sendable (FactorModel, [(item: Int, value: Double)], Double) throws -> Lesson6Cells.NewUser
    init(
        sgdUpdate: @escaping @Sendable (inout FactorModel, Int, Int, Double, Double, Double, Double) throws -> Void,
        foldIn: @escaping @Sendable (FactorModel, [(item: Int, value: Double)], Double) throws -> Lesson6Cells.NewUser
    ) {
        self.sgdUpdate = sgdUpdate
        self.foldIn = foldIn
    }
    init(_ c: any Lesson6Cells) { self.init(sgdUpdate: c.sgdUpdate, foldIn: c.foldIn) }
    static let solutions = Self(Lesson6Exercises.solutions), reference = Self(Lesson6Exercises.reference)
    func sgdUpdate(_ model: inout FactorModel, user u: Int, item i: Int, rating r: Double, learningRate lr: Double, lambda: Double, biasLambda: Double) throws {
        try sgdUpdate(&model, u, i, r, lr, lambda, biasLambda)
    }
    func foldIn(_ model: FactorModel, ratings: [(item: Int, value: Double)], lambda: Double) throws -> Lesson6Cells.NewUser {
        try foldIn(model, ratings, lambda)
    }
}

struct Lesson7Closures: Lesson7Cells {
    var shrunkPearson: @Sendable (Residuals, Residuals, Double) throws -> Double
    var neighbourPrediction: @Sendable (Double, Neighbours, Int) throws -> Double
    init(
        shrunkPearson: @escaping @Sendable (Residuals, Residuals, Double) throws -> Double,
        neighbourPrediction: @escaping @Sendable (Double, Neighbours, Int) throws -> Double
    ) {
        self.shrunkPearson = shrunkPearson
        self.neighbourPrediction = neighbourPrediction
    }
    init(_ c: any Lesson7Cells) { self.init(shrunkPearson: c.shrunkPearson, neighbourPrediction: c.neighbourPrediction) }
    static let solutions = Self(Lesson7Exercises.solutions), reference = Self(Lesson7Exercises.reference)
    func shrunkPearson(_ a: [(user: Int, residual: Double)], _ b: [(user: Int, residual: Double)], shrinkage: Double) throws -> Double {
        try shrunkPearson(a, b, shrinkage)
    }
    func neighbourPrediction(baseline: Double, neighbours: [(similarity: Double, residual: Double)], k: Int) throws -> Double {
        try neighbourPrediction(baseline, neighbours, k)
    }
}

struct Lesson8Closures: Lesson8Cells {
    var userConditional: @Sendable (Matrix, [Double], Double, [Double], Matrix) throws -> Gaussian
    var ridgeBlend: @Sendable ([[Double]], [Double], Double) throws -> Fitted
    init(
        userConditional: @escaping @Sendable (Matrix, [Double], Double, [Double], Matrix) throws -> Gaussian,
        ridgeBlend: @escaping @Sendable ([[Double]], [Double], Double) throws -> Fitted
    ) {
        self.userConditional = userConditional
        self.ridgeBlend = ridgeBlend
    }
    init(_ c: any Lesson8Cells) { self.init(userConditional: c.userConditional, ridgeBlend: c.ridgeBlend) }
    static let solutions = Self(Lesson8Exercises.solutions), reference = Self(Lesson8Exercises.reference)
    func userConditional(movies: Matrix, residuals: [Double], alpha: Double, mu: [Double], lambda: Matrix) throws -> Gaussian {
        try userConditional(movies, residuals, alpha, mu, lambda)
    }
    func ridgeBlend(_ x: [[Double]], _ y: [Double], lambda: Double) throws -> Fitted { try ridgeBlend(x, y, lambda) }
}

struct Lesson9Closures: Lesson9Cells {
    typealias Metric = @Sendable ([Int], Set<Int>, Int) throws -> Double
    typealias Step = @Sendable (Parameters, Double, Double) throws -> Parameters
    var precisionAtK: Metric, ndcgAtK: Metric, bprStep: Step
    init(precisionAtK: @escaping Metric, ndcgAtK: @escaping Metric, bprStep: @escaping Step) {
        self.precisionAtK = precisionAtK
        self.ndcgAtK = ndcgAtK
        self.bprStep = bprStep
    }
    init(_ c: any Lesson9Cells) {
        self.init(precisionAtK: c.precisionAtK, ndcgAtK: c.ndcgAtK, bprStep: { try c.bprStep($0, learningRate: $1, lambda: $2) })
    }
    static let solutions = Self(Lesson9Exercises.solutions), reference = Self(Lesson9Exercises.reference)
    func precisionAtK(_ ranked: [Int], relevant: Set<Int>, k: Int) throws -> Double { try precisionAtK(ranked, relevant, k) }
    func ndcgAtK(_ ranked: [Int], relevant: Set<Int>, k: Int) throws -> Double { try ndcgAtK(ranked, relevant, k) }
    func bprStep(
        user: [Double], positive: [Double], negative: [Double], positiveBias: Double, negativeBias: Double,
        learningRate: Double, lambda: Double
    ) throws -> Parameters {
        try bprStep((user, positive, negative, positiveBias, negativeBias), learningRate, lambda)
    }
}

struct Lesson10Closures: Lesson10Cells {
    typealias Forward = @Sendable (Matrix, [Double], [Double]) throws -> Activations
    typealias Backward = @Sendable (Matrix, [Double], [Double], [Double]) throws -> Gradients
    typealias Step = @Sendable (AdamProblem) throws -> AdamState
    var denseForward: Forward, denseBackward: Backward, adamStep: Step
    init(denseForward: @escaping Forward, denseBackward: @escaping Backward, adamStep: @escaping Step) {
        self.denseForward = denseForward
        self.denseBackward = denseBackward
        self.adamStep = adamStep
    }
    init(_ c: any Lesson10Cells) { self.init(denseForward: c.denseForward, denseBackward: c.denseBackward, adamStep: { try c.adamStep(on: $0) }) }
    static let solutions = Self(Lesson10Exercises.solutions), reference = Self(Lesson10Exercises.reference)
    func denseForward(weights w: Matrix, bias b: [Double], input x: [Double]) throws -> Activations { try denseForward(w, b, x) }
    func denseBackward(weights w: Matrix, input x: [Double], preActivation z: [Double], outputGradient g: [Double]) throws -> Gradients {
        try denseBackward(w, x, z, g)
    }
    func adamStep(
        parameters theta: [Double], gradient g: [Double], firstMoment m: [Double], secondMoment v: [Double], step t: Int, learningRate lr: Double,
        beta1: Double, beta2: Double, epsilon: Double
    ) throws -> AdamState {
        try adamStep((theta, g, m, v, t, lr, beta1, beta2, epsilon))
    }
}
