// Section 6: ranking on lesson 9's protocol, with the full catalogue: NeuMF trained on interactions with sampled
// negatives, against weighted ALS and BPR, each tuned on validation.

import CFCore
import Figures
import LessonKit
import TextOutput

/// A ranking model on the test: its name and each tested user's NDCG@10 and hit.
struct Ranked {
    let name: String, key: String
    let evaluation: RankingEvaluation
    let settings: String
}

extension Lesson10 {
    func rankingNeuMFsHomeGround() throws -> [Ranked] {
        book.heading("Ranking: NeuMF's home ground")
        book.paragraph(
            """
            He et al. built NeuMF for implicit feedback: who watched what, not the stars. Every rating counts as an
            interaction; \(ranking.lastOut ? "each user's most recent one is held out for the test, and the one before it for validation (lesson 9's leave-last-out)" : "this data set has no timestamps, so a random 20% of each user's interactions is held out for the test, and 20% of the rest for validation (lesson 9's random protocol)").
            NeuMF learns to tell an interaction from a movie drawn at random among those the user has not watched (4 such
            negatives per interaction, drawn afresh each epoch), with the logistic loss, \(Self.rankingBatchSize) examples per Adam step at
            a step size of \(Self.rankingLearningRate); its score is z, before any sigmoid.
            Every model ranks the whole catalogue for each user, seen movies left out, and is judged by NDCG@10 and the hit
            rate at 10 (lesson 9). Each model's setting is chosen on validation: NeuMF's epochs, weighted ALS's confidence α,
            BPR's epochs. The chosen model is then tested as it is: none is trained again with the validation interactions
            (one per user, about 1% of them), which still count as seen and are left out of the test's rankings.
            """)
        // Weighted ALS and BPR started with the lesson, on a core the sections before left idle (`rankingQueue`); NeuMF
        // and any family not started yet run here, side by side on the two cores (one alone gets both). A model's
        // numbers do not depend on its threads or on what runs beside it.
        let started = rankingQueue.claim()
        let rest = RankingFamilies.Family.allCases.filter { !started.contains($0) }
        let bar = book.progress("ranking", total: rest.count)
        let ranking = ranking, threads = rest.count == 1 ? nil : 1 as Int?
        let ranOnCue = try concurrentMap(rest, cost: { $0.cost }, done: { finished, family, _ in bar.update(finished, detail: "\(family.name): tested once") })
        {
            try ranking.rank($0, threads: threads)
        }
        let ranAhead = try rankingQueue.results()
        bar.finish()
        let ranked = RankingFamilies.Family.allCases.map { family in ranAhead[family] ?? ranOnCue[rest.firstIndex(of: family)!] }
        book.table(
            Table(
                header: ["model", "chosen on validation", "NDCG@10", "hit rate @10"],
                rows: ranked.map {
                    [
                        $0.name, $0.settings,
                        formatFixed($0.evaluation.ndcg, digits: 4) + " ± " + formatFixed(MeanInterval.halfWidth($0.evaluation.ndcgPerUser), digits: 4),
                        formatFixed($0.evaluation.hitRate, digits: 4) + " ± " + formatFixed(MeanInterval.halfWidth($0.evaluation.hitPerUser), digits: 4)
                    ]
                }),
            caption: "Ranking the whole catalogue for the \(ranked[0].evaluation.users.count) users with a test interaction (95% intervals)")
        book.paragraph(Self.rankingReading(ranked))
        book.record(
            "ranking",
            JSONValue.object(
                ranked.map {
                    (
                        $0.key,
                        .object([
                            ("ndcg", $0.evaluation.ndcg.json), ("hit_rate", $0.evaluation.hitRate.json),
                            ("settings", $0.settings.json)
                        ])
                    )
                }))
        return ranked
    }

    /// NeuMF's minibatches and step size for ranking: five examples per interaction make an epoch five times the
    /// ratings', and on validation (NDCG@10, seed 42) 2,048 examples at 0.01 beat 512 at 0.005 at every epoch (0.060
    /// against 0.054 after 4).
    static let rankingBatchSize = 2048, rankingLearningRate = 0.01

    /// NeuMF against whichever of weighted ALS and BPR has the higher NDCG@10, user by user (paired): ahead, behind or tied within the noise.
    static func rankingReading(_ ranked: [Ranked]) -> String {
        let neuMF = ranked[0], others = ranked.dropFirst()
        let best = others.max { $0.evaluation.ndcg < $1.evaluation.ndcg }!
        let comparison = Comparison.paired(neuMF.evaluation.ndcgPerUser, best.evaluation.ndcgPerUser)
        let gap = formatFixed(abs(comparison.difference), digits: 4), noise = formatFixed(comparison.halfWidth, digits: 4)
        switch comparison.verdict {
        case .firstHigher:
            return "NeuMF ranks better than \(best.name), the factor model with the higher NDCG@10: NDCG@10 higher by \(gap) (± \(noise), user by user)."
        case .secondHigher:
            return "\(best.name) ranks better than NeuMF: NDCG@10 higher by \(gap) (± \(noise), user by user), even on the task NeuMF was designed for."
        case .tie:
            return
                "NeuMF and \(best.name), the factor model with the higher NDCG@10, are tied within the noise: NDCG@10 differs by \(gap) (± \(noise), user by user)."
        }
    }
}
