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
        let similarities = SimilarityTables(fit, baseline: baseline, shrinkage: options.shrinkage)
        let seconds = similarities.seconds
        let bytes = fit.itemCount * fit.itemCount * 8
        book.paragraph(
            """
            Each is one sparse pass over the ratings that only visits pairs of movies with a common rater: for all
            \(fit.itemCount) movies it took \(formatSeconds(seconds[.cosine] ?? 0)) (cosine), \(formatSeconds(seconds[.pearson] ?? 0)) (Pearson)
            and \(formatSeconds(seconds[.pearsonBaseline] ?? 0)) (baseline Pearson) on \(ProcessInfo.processInfo.activeProcessorCount) cores. The result is a dense
            \(fit.itemCount) × \(fit.itemCount) table of similarities and common-rater counts, \(bytes / 1_048_576) MB; a catalogue of
            millions of items would keep only each item's best few hundred neighbours instead.
            """)
        book.record("similarity_seconds", JSONValue.object(Similarity.allCases.map { ($0.rawValue, (seconds[$0] ?? 0).json) }))
        // ✏️ Your `shrunkPearson` (Cells.swift) recomputes the baseline-Pearson similarities of the table's pairs from the two
        // movies' residual lists; once it is written, the table shows its values.
        let residuals = { (item: Int) in
            fit.ratings(ofItem: item).map { (user: $0.user, residual: $0.value - baseline.score(user: $0.user, item: item)) }
        }
        let nearest = similarities[.pearsonBaseline].mostSimilar(to: anchor, count: 5)
        let byHand = try nearest.map { s in try cells.shrunkPearson(residuals(anchor), residuals(s.item), shrinkage: options.shrinkage) }
        let yours = book.writtenCells.contains("shrunkPearson")
        func neighbourRows(_ kind: Similarity) -> [[String]] {
            let table = similarities[kind]
            return table.mostSimilar(to: anchor, count: 5).enumerated().map { index, s in
                let similarity = kind == .pearsonBaseline && yours ? byHand[index] : Double(s.similarity)
                return [
                    kind.rawValue, titles[s.item], "\(similarity, digits: 3)", String(table.common[anchor * table.count + s.item]), String(fitCounts[s.item])
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

    init(_ ratings: Ratings, baseline: FactorModel, shrinkage: Double) {
        var tables = [Similarity: ItemSimilarities](), seconds = [Similarity: Double]()
        for kind in Similarity.allCases {
            let (table, time) = timed { ItemSimilarities(ratings, kind: kind, baseline: baseline, shrinkage: shrinkage) }
            tables[kind] = table
            seconds[kind] = time
        }
        self.tables = tables
        self.seconds = seconds
    }

    /// The table of `kind` (there is one for every measure).
    subscript(kind: Similarity) -> ItemSimilarities { tables[kind]! }
}
