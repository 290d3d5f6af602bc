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
    ///
    /// The validation RMSE is measured on the training state in its precision (`.single`: 32-bit dot products), so it
    /// can differ from the returned model's `rmse(on:)` in the last digits. With `tracksTrainingRMSE` false the
    /// training RMSE is not computed (a pass over every training rating per epoch) and `trainingRMSE` is empty.
    public static func trainWithEarlyStopping(
        _ training: Ratings, validation: Ratings, _ configuration: Configuration,
        patience: Int, initialUserFactors: Matrix? = nil, initialItemFactors: Matrix? = nil,
        ratingScale: ClosedRange<Double>? = nil, tracksTrainingRMSE: Bool = true
    ) throws -> EarlyStopped {
        var exact = configuration
        exact.computesLoss = tracksTrainingRMSE
        let probe = ValidationProbe(validation, scale: ratingScale)
        var best: (model: FactorModel, epoch: Int, rmse: Double)?
        var trainingRMSE = [Double](), validationRMSE = [Double]()
        _ = try train(training, exact, initialUserFactors: initialUserFactors, initialItemFactors: initialItemFactors, probe: probe) { progress in
            let rmse = probe.rmse[progress.step - 1]
            if tracksTrainingRMSE { trainingRMSE.append((progress.loss ?? .nan).squareRoot()) }
            validationRMSE.append(rmse)
            // The model is assembled only at a new best (a copy of every factor).
            if best == nil || rmse < best!.rmse {
                var model = progress.model
                model.ratingScale = ratingScale
                best = (model, progress.step, rmse)
            }
            if progress.step >= best!.epoch + patience { progress.stop() }
        }
        return EarlyStopped(model: best!.model, bestEpoch: best!.epoch, trainingRMSE: trainingRMSE, validationRMSE: validationRMSE)
    }
}
