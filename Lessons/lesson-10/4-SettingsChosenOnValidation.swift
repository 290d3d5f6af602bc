// Section 4: each model's weight decay chosen on validation, with its number of epochs.

import CFCore
import Figures
import LessonKit
import TextOutput

extension Lesson10 {
    /// Each architecture's decay and epochs, chosen on validation.
    mutating func settingsChosenOnValidation() throws -> [Architecture: FollowedRun] {
        book.heading("Settings chosen on validation")
        let decays = options.decays.values
        book.paragraph(
            """
            Each model is trained on the fit ratings with every weight decay of \(decays.map { "\($0)" }.joined(separator: ", ")), each run
            stopped early on validation as above; the decay with the lowest validation RMSE, with its best epoch, is the
            model's setting. The test ratings are not looked at.
            """)
        // The runs not made yet (sections 1 and 2 made one each) are independent: side by side, one per core and each on
        // one thread, the costliest model first. A run's numbers do not depend on what runs beside it, nor on its threads.
        let grid = Architecture.allCases.flatMap { a in decays.map { (architecture: a, decay: $0) } }
        let missing = grid.filter { runs[Self.runKey($0.architecture, $0.decay)] == nil }
        let bar = book.progress("decays", total: missing.count)
        let lesson = self
        let made = try concurrentMap(
            missing, cost: { $0.architecture.relativeCost },
            done: { finished, point, _ in bar.update(finished, detail: "\(point.architecture.name), λ = \(point.decay)") }
        ) { point in try lesson.trained(point.architecture, on: lesson.fit, decay: point.decay, validation: lesson.validation, threads: 1) }
        for (point, run) in zip(missing, made) { runs[Self.runKey(point.architecture, point.decay)] = run }
        var chosen = [Architecture: FollowedRun](), rows = [[String]](), record = [(String, JSONValue)]()
        for architecture in Architecture.allCases {
            let runs = try decays.map { try followed(architecture, decay: $0) }
            let best = runs.min { $0.bestRMSE < $1.bestRMSE }!
            chosen[architecture] = best
            rows.append([architecture.name] + runs.map { "\(formatFixed($0.bestRMSE, digits: 4)) (\($0.bestEpoch))" + ($0.decay == best.decay ? " ←" : "") })
            record.append((architecture.key, .object(runs.map { ("\($0.decay)", .object([("rmse", $0.bestRMSE.json), ("epochs", $0.bestEpoch.json)])) })))
        }
        bar.finish()
        book.table(
            Table(header: ["model"] + decays.map { "λ = \($0)" }, rows: rows),
            caption: "Best validation RMSE (at epoch) for each weight decay; ← the chosen one")
        book.paragraph(
            Self.decayReading(
                chosen.mapValues { (decay: $0.decay, edge: $0.decay == decays.min() || $0.decay == decays.max()) },
                grid: decays))
        book.record("validation_grid", JSONValue.object(record))
        return chosen
    }

    /// Which decay each model chose, and a warning where the choice is at the end of the grid (the best might lie beyond).
    static func decayReading(_ chosen: [Architecture: (decay: Double, edge: Bool)], grid: [Double]) -> String {
        let parts = Architecture.allCases.compactMap { a in chosen[a].map { "\(a.name) λ = \($0.decay)" } }
        var text = "Chosen: " + parts.joined(separator: ", ") + "."
        let atEdge = Architecture.allCases.filter { chosen[$0]?.edge == true && grid.count > 1 }
        if !atEdge.isEmpty {
            text +=
                " " + atEdge.map(\.name).joined(separator: " and ") + (atEdge.count == 1 ? " chose" : " chose")
                + " a decay at the end of the grid, so a better one may lie beyond it (--decays)."
        }
        return text
    }
}
