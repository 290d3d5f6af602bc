// Section 8: what each model costs to serve: scoring every movie for one user, and why a dot product allows retrieval
// without scoring every movie while a network does not.

import CFCore
import Dispatch
import LessonKit
import TextOutput

extension Lesson10 {
    func whatItCostsToServe() throws {
        book.heading("What it costs to serve")
        let items = training.itemCount, k = options.factors, hidden = options.hidden.values
        let users = Array(0..<min(100, training.userCount))
        var rows = [[String]](), record = [(String, JSONValue)](), micro = [Architecture: Double]()
        for architecture in Architecture.allCases {
            guard let model = testedModels[architecture] else { continue }
            // The fastest of three passes, so that another program's moment on the core does not decide the ratio.
            var sink = 0.0, seconds = Double.infinity
            for _ in 0..<3 {
                let started = DispatchTime.now().uptimeNanoseconds
                for user in users { for item in 0..<items { sink += model.score(user: user, item: item) } }
                seconds = min(seconds, Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
            }
            let perUser = 1e6 * seconds / Double(users.count)
            micro[architecture] = perUser
            let multiplies = Self.multipliesPerPair(architecture, k: k, hidden: hidden)
            rows.append([
                architecture.name, formatGrouped(multiplies),
                (perUser.isFinite ? formatGrouped(Int(perUser.rounded())) : formatFixed(perUser, digits: 0)) + (sink.isNaN ? " (NaN)" : "")
            ])
            record.append((architecture.key, .object([("multiplies_per_pair", multiplies.json), ("microseconds_per_user", perUser.json)])))
        }
        book.paragraph(
            """
            A recommender scores candidates for a user at the moment the user asks. The dot product costs k = \(k) multiplications
            per movie; the network, every weight of its layers.
            """)
        book.table(
            Table(header: ["model", "multiplications per (user, movie)", "µs to score all \(formatGrouped(items)) movies for a user"], rows: rows),
            caption: "Scoring every movie for \(users.count) users, one core, each pair scored on its own (the fastest of three passes)")
        book.paragraph(
            Self.servingReading(micro) + """
                 The difference grows with the catalogue, and the dot product has a second advantage the table does not show:
                because a movie's vector does not depend on the user, the top movies by inner product can be found by an index
                built once over the movie vectors (maximum inner product search, with approximate nearest-neighbour methods),
                scoring a small fraction of the catalogue. A network's score of a pair is not an inner product of anything
                fixed, so every movie must go through it for every user.
                """)
        book.record("serving", JSONValue.object(record))
    }

    /// The multiplications of one score: k for the dot product; for a network, its dense layers' weights (and k more for
    /// NeuMF's GMF branch and its share of the output unit).
    static func multipliesPerPair(_ architecture: Architecture, k: Int, hidden: [Int]) -> Int {
        let sizes = [2 * k] + hidden
        let tower = zip(sizes, sizes.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 }
        switch architecture {
        case .dotProduct: return k
        case .network: return tower + (hidden.last ?? 2 * k)
        case .neuMF: return k + tower + k + (hidden.last ?? 2 * k)
        }
    }

    /// How many times longer than the dot product each network takes to score a catalogue, from the whole microseconds
    /// the table shows, so that a reader who divides its numbers gets the same ratios.
    static func servingReading(_ micro: [Architecture: Double]) -> String {
        guard let dot = micro[.dotProduct]?.rounded(), dot > 0 else { return "" }
        let parts = [Architecture.network, .neuMF].compactMap { a in
            micro[a].map { "\(a.name) takes \(formatFixed($0.rounded() / dot, digits: 1)) times as long" }
        }
        return "Scoring the whole catalogue, " + parts.joined(separator: " and ") + " as the dot product."
    }
}
