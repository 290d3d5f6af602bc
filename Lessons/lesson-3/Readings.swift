// Lesson 3's sentences that depend on the numbers: whether this run's end is a poor one, and how far other random
// starts agree on the predictions.

import CFCore
import TextOutput

/// ALS run again from another random start: its seed, where its objective ended, and its predictions on the scale.
struct Restart {
    let seed: UInt32
    let objective: Double
    let predictions: Matrix
}

/// Whether an end at `objective` is poor: more than 25% above the best end the restarts found (and not by rounding).
func isPoorEnd(_ objective: Double, restarts: [Restart]) -> Bool {
    guard let best = restarts.map(\.objective).min() else { return false }
    return objective > 1.25 * best && objective - best > 1e-6
}

/// This run's end against the restarts': a poor end is said so, with the seed that does best.
func endReading(_ objective: Double, seed: UInt32, restarts: [Restart], converged: Bool = true) -> String {
    guard let best = restarts.min(by: { $0.objective < $1.objective }) else { return "" }
    let list = restarts.map { "\(formatFixed($0.objective, digits: 2)) (seed \($0.seed))" }.joined(separator: ", ")
    if isPoorEnd(objective, restarts: restarts) {
        return """
            This is a poor end. From four other random starts ALS ends at \(list), against \(formatFixed(objective, digits: 2)) \
            here from seed \(seed)\(converged ? "" : ", which had not even settled when its iterations ran out"). Every half-step \
            lowers the objective, but only from where it stands: a start can lead into a poor region, as this one seems to; \
            `--seed \(best.seed)` shows a better end. In practice ALS is run from a few starts, or with \
            λ > 0, and the lowest end is kept.
            """
    }
    let place = objective <= best.objective * (1 + 1e-3) + 1e-9 ? "as low as the lowest of them" : "within 25% of the lowest"
    return """
        Is this end a good one? From four other random starts ALS ends at \(list); this run's \(formatFixed(objective, digits: 2)) \
        is \(place), so it is not a poor end.
        """
}

/// How far the five starts (this run's `this` and the restarts') agree on the empty cells' predictions: the cell
/// where they disagree most, or that they all agree.
func startsReading(this: Matrix, restarts: [Restart], ratings: Ratings, listeners: [String], songs: [String]) -> String {
    var widest: (user: Int, song: Int, low: Double, high: Double)?
    for u in 0..<ratings.userCount {
        for j in 0..<ratings.itemCount where ratings.value(user: u, item: j) == nil {
            let values = [this[u, j]] + restarts.map { $0.predictions[u, j] }
            let low = values.min()!, high = values.max()!
            if high - low > (widest.map { $0.high - $0.low } ?? -1) { widest = (u, j, low, high) }
        }
    }
    guard let widest else { return "" }
    if widest.high - widest.low < 0.05 {
        return "Here all five random starts above (this run's and the four others) end at the same predictions, to within 0.05 stars in every empty cell."
    }
    return """
        Different random starts, though, can end at different solutions, with different predictions: among the five runs \
        above (this one and the four other starts), the prediction for \(listeners[widest.user]) and \(songs[widest.song]) ranges from \
        \(formatFixed(widest.low, digits: 1)) to \(formatFixed(widest.high, digits: 1)).
        """
}

/// How often the objective went up between half-steps: "never", once, or a count.
func wentUp(_ times: Int) -> String {
    times == 0 ? "The objective never went up." : times == 1 ? "The objective went up once." : "The objective went up \(times) times."
}
