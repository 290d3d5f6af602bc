// Exercise run: the same SGD for several latent dimensions k (`--k 1,2,3,5,8`).

import CFCore
import Figures
import LessonKit
import TextOutput

extension Lesson4 {
    func comparingLatentDimensions(_ compareKs: [Int]) throws {
        book.heading("Exercise run: comparing latent dimensions k")
        var series = [Series](), rows = [[String]](), record = [(String, JSONValue)](), diverged = [(k: Int, epoch: Int)]()
        var finals = [Int: (training: Double, hidden: Double)]()
        for kk in compareKs {
            let run = try Setup(seed: book.seed, k: kk, learningRate: options.learningRate, epochs: options.epochs)
            let trained = try run.attempt(reg: options.reg, cells: cells)
            if let epoch = trained.divergedAt {
                // Drawn only until it passes 10× its first loss, so the other curves stay readable.
                let shown = trained.losses.prefix { $0 <= 10 * trained.losses[0] }
                series.append(Series("k = \(kk) (diverged at epoch \(epoch))", y: Array(shown)))
            } else {
                series.append(Series("k = \(kk)", y: trained.losses))
            }
            if let model = trained.model {
                let train = run.observedRMSE(model), hidden = run.unobservedRMSE(model)
                finals[kk] = (trained.losses.last ?? .nan, hidden)
                rows.append([String(kk), "\(trained.losses.last!, digits: 6)", "\(train, digits: 4)", "\(hidden, digits: 4)", ""])
                record.append(("k=\(kk)", .object(["final_training_mse": trained.losses.last!, "rmse_observed": train, "rmse_unobserved": hidden])))
            } else {
                let epoch = trained.divergedAt!
                rows.append([String(kk), "", "", "", "diverged at epoch \(epoch)"])
                record.append(("k=\(kk)", .object(["diverged_at_epoch": epoch])))
                diverged.append((kk, epoch))
            }
        }
        book.table(
            Table(header: ["k", "final training MSE", "RMSE observed", "RMSE hidden", "note"], rows: rows),
            caption: "Final errors for each k")
        try book.figure(
            .lines(
                name: "k-comparison", title: "Training MSE per epoch for each k", xLabel: "epoch",
                yLabel: "MSE on observed cells (log scale)", series: series, logY: true))
        book.paragraph(kComparisonReading(finals))
        if let reading = divergenceReading(diverged, learningRate: options.learningRate) { book.paragraph(reading) }
        book.record("k_comparison", JSONValue.object(record))
    }
}
