// Section 2: three measures of how alike two movies are, what they cost, and `shrunkPearson` checked against them.

import CFCore
import Foundation
import LessonKit
import TextOutput

extension Lesson7 {
    func howAlikeAreTwoMovies() throws -> SimilarityTables {
        book.heading("How alike are two movies?")
        book.paragraph(
            """
            Three ways to measure it, each designed to fix a fault of the one before (whether it does, on these ratings, the validation below tells). The cosine compares the two columns of ratings
            over the people who rated both; but ratings are mostly positive, so any two movies look alike, and a generous
            rater who gives everything 5 makes everything look alike. Pearson's correlation first centres each movie's
            ratings on its mean, so only above- and below-average opinions count. It still trusts a pair with two common
            raters as much as a pair with two hundred, and two people who agree by chance give a correlation of 1. So the
            third measure correlates the baseline residuals r − b_ui (which also remove each rater's generosity) and shrinks
            the result by n / (n + \(options.shrinkage, digits: 0)) for n common raters: a pair needs many raters in common to
            be called alike.
            """)
        let similarities = SimilarityTables(fit, baseline: baseline, shrinkage: options.shrinkage, ratingsPerUser: options.ratingsCap)
        let seconds = similarities.seconds
        let table = similarities[.pearsonBaseline]
        book.paragraph(
            """
            Each is one sparse pass over the ratings that only visits pairs of movies with a common rater: for all
            \(fit.itemCount) movies it took \(formatSeconds(seconds[.cosine] ?? 0)) (cosine), \(formatSeconds(seconds[.pearson] ?? 0)) (Pearson)
            and \(formatSeconds(seconds[.pearsonBaseline] ?? 0)) (baseline Pearson) on \(ProcessInfo.processInfo.activeProcessorCount) cores. \(
                Self.storageReading(
                    movies: fit.itemCount, kept: table.kept, stored: table.neighbourItems.count, bytes: table.storageBytes,
                    sampledUsers: table.sampledUsers, cap: options.ratingsCap, ratingsLeftOut: table.ratingsLeftOut, ratings: fit.count))
            """)
        book.record("similarity_seconds", JSONValue.object(Similarity.allCases.map { ($0.rawValue, (seconds[$0] ?? 0).json) }))
        // ✏️ Your `shrunkPearson` (Cells.swift) recomputes the baseline-Pearson similarities of the table's pairs from the two
        // movies' residual lists; once it is written, the table shows its values.
        // The ratings the tables counted (a sample of the heaviest raters' when `--ratings-per-user` cut any).
        let counted = table.sampledUsers > 0 ? ItemSimilarities.sample(fit, ratingsPerUser: options.ratingsCap).ratings : fit
        let residuals = { (item: Int) in
            counted.ratings(ofItem: item).map { (user: $0.user, residual: $0.value - baseline.score(user: $0.user, item: item)) }
        }
        let nearest = similarities[.pearsonBaseline].mostSimilar(to: anchor, count: 5)
        let byHand = try nearest.map { s in try cells.shrunkPearson(residuals(anchor), residuals(s.item), shrinkage: options.shrinkage) }
        let yours = book.writtenCells.contains("shrunkPearson")
        func neighbourRows(_ kind: Similarity) -> [[String]] {
            let table = similarities[kind]
            return table.mostSimilar(to: anchor, count: 5).enumerated().map { index, s in
                let similarity = kind == .pearsonBaseline && yours ? byHand[index] : Double(s.similarity)
                return [
                    kind.rawValue, titles[s.item], "\(similarity, digits: 3)", String(table.common(anchor, s.item)), String(fitCounts[s.item])
                ]
            }
        }
        book.table(
            Table(header: ["similarity", "movie", "sim", "common raters", "ratings"], rows: Similarity.allCases.flatMap(neighbourRows)),
            caption: "The five movies most like \(titles[anchor]), by each measure (no minimum number of ratings)"
                + (yours ? "; the baseline-Pearson similarities are your shrunkPearson's" : ""))
        let largestGap = zip(byHand, nearest).map { abs($0 - Double($1.similarity)) }.max() ?? 0
        book.paragraph(Self.shrunkPearsonReading(yours: yours, largestGap: largestGap))
        book.record("shrunk_pearson_check_difference", largestGap)
        return similarities
    }

    /// What a similarity table holds and costs: every neighbour of each movie or only its best `kept`, its size against
    /// the dense table's (a 32-bit similarity and count per pair), and how many heavy raters were sampled.
    static func storageReading(
        movies: Int, kept: Int, stored: Int, bytes: Int, sampledUsers: Int, cap: Int?, ratingsLeftOut: Int, ratings: Int
    ) -> String {
        func size(_ bytes: Int) -> String {
            bytes >= 1 << 30 ? "\(Double(bytes) / Double(1 << 30), digits: 1) GB" : "\(Double(bytes) / Double(1 << 20), digits: 1) MB"
        }
        let dense = size(movies * movies * 8), mean = movies > 0 ? Double(stored) / Double(movies) : 0
        let rows =
            kept >= movies - 1
            ? "Each movie keeps every movie it shares a rater with (\(mean, digits: 0) on average), its similarity and the number of common raters: "
                + "\(size(bytes)) per measure, where a dense \(movies) × \(movies) table would take \(dense); a catalogue of more than "
                + "\(ItemSimilarities.exactUpTo) movies keeps only each movie's \(ItemSimilarities.defaultKeep) most similar."
            : "Each movie keeps only its \(kept) most similar movies (\(mean, digits: 0) on average), their similarities and numbers of common raters: "
                + "\(size(bytes)) per measure, where a dense \(movies) × \(movies) table would take \(dense). A prediction that finds fewer than k "
                + "of the user's movies among those neighbours averages over the ones it finds."
        guard sampledUsers > 0, let cap else { return rows }
        let share = ratings > 0 ? 100 * Double(ratingsLeftOut) / Double(ratings) : 0
        return rows + " To bound the work, which grows with the square of each rater's count, the \(sampledUsers) raters with more than \(cap) "
            + "ratings count a fixed sample of \(cap) of them (\(ratingsLeftOut) ratings, \(share, digits: 1)%, left out of the similarities); "
            + "`--ratings-per-user 0` counts them all."
    }

    /// How the plain-Swift `shrunkPearson` compares with the fast table: agreeing to the table's 32-bit precision, or
    /// differing, which for a learner's cell means a mistake that `--check` will show.
    static func shrunkPearsonReading(yours: Bool, largestGap: Double) -> String {
        let who = yours ? "Your `shrunkPearson`" : "The plain-Swift `shrunkPearson` of Cells.swift (the course's version until you write it)"
        guard largestGap <= 1e-5 else {
            return "\(who) recomputes the five baseline-Pearson similarities from the two movies' residual lists, but differs from the fast table "
                + "by up to \(String(format: "%.1e", largestGap)), more than the table's 32-bit rounding (10⁻⁵): `swift run lesson-7 --check` shows where."
        }
        return "\(who) recomputes the five baseline-Pearson similarities from the two movies' residual lists and agrees with the fast table to "
            + "\(String(format: "%.1e", largestGap)) (the table is kept in 32-bit floats)."
    }
}

/// The item-item similarities of the fit ratings by each measure, and the seconds each table took.
struct SimilarityTables {
    private let tables: [Similarity: ItemSimilarities]
    let seconds: [Similarity: Double]

    init(_ ratings: Ratings, baseline: FactorModel, shrinkage: Double, ratingsPerUser: Int?) {
        var tables = [Similarity: ItemSimilarities](), seconds = [Similarity: Double]()
        for kind in Similarity.allCases {
            let (table, time) = timed { ItemSimilarities(ratings, kind: kind, baseline: baseline, shrinkage: shrinkage, ratingsPerUser: ratingsPerUser) }
            tables[kind] = table
            seconds[kind] = time
        }
        self.tables = tables
        self.seconds = seconds
    }

    /// The table of `kind` (there is one for every measure).
    subscript(kind: Similarity) -> ItemSimilarities { tables[kind]! }
}
