extension StochasticGradientDescent {
    /// A run stopped early on validation error.
    public struct EarlyStopped: Sendable {
        /// The model at the epoch with the lowest validation RMSE.
        public var model: FactorModel
        /// That epoch, from 1.
        public var bestEpoch: Int
        /// Training RMSE after every epoch run.
        public var trainingRMSE: [Double]
        /// Validation RMSE after every epoch run.
        public var validationRMSE: [Double]
    }

    /// Trains for at most `configuration.iterations` epochs, measuring RMSE on `validation` (predictions clipped to
    /// `ratingScale`) after each, and stops once it has not improved for `patience` epochs. Returns the best model.
    public static func trainWithEarlyStopping(
        _ training: Ratings, validation: Ratings, _ configuration: Configuration,
        patience: Int, initialUserFactors: Matrix? = nil, initialItemFactors: Matrix? = nil,
        ratingScale: ClosedRange<Double>? = nil
    ) throws -> EarlyStopped {
        var exact = configuration
        exact.computesLoss = true
        var best: (model: FactorModel, epoch: Int, rmse: Double)?
        var trainingRMSE = [Double](), validationRMSE = [Double]()
        _ = try train(training, exact, initialUserFactors: initialUserFactors, initialItemFactors: initialItemFactors) { progress in
            var model = progress.model
            model.ratingScale = ratingScale
            let rmse = model.rmse(on: validation)
            trainingRMSE.append((progress.loss ?? .nan).squareRoot())
            validationRMSE.append(rmse)
            if best == nil || rmse < best!.rmse { best = (model, progress.step, rmse) }
            if progress.step >= best!.epoch + patience { progress.stop() }
        }
        return EarlyStopped(model: best!.model, bestEpoch: best!.epoch, trainingRMSE: trainingRMSE, validationRMSE: validationRMSE)
    }
}
