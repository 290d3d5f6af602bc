import Dispatch
import Foundation

/// How alike two items are, judged from the users who rated both.
public enum Similarity: String, Sendable, CaseIterable {
    /// The cosine of the two columns of raw ratings over the common raters.
    case cosine
    /// The Pearson correlation over the common raters, each item's ratings centred on that item's mean.
    case pearson
    /// The Pearson correlation of the baseline residuals r − (μ + b_u + b_i) over the common raters, shrunk toward
    /// 0 by n / (n + shrinkage) for a pair with n common raters.
    case pearsonBaseline = "pearson-baseline"
}

/// The item-item similarity matrix of a set of ratings, with each pair's number of common raters.
///
/// Built by a sparse co-rating product: for each item i, a pass over its raters u and, for each, over the items j > i
/// that u rated, accumulating Σ x_i x_j, Σ x_i², Σ x_j² and the count for the pair (x is the raw rating, the rating
/// less the item's mean, or the baseline residual). The work is Σ_u n_u² / 2 over users' rating counts n_u, and never
/// touches a pair without a common rater. The matrix is dense (items² floats: 11 MB for MovieLens 100K's 1,682
/// movies); a catalogue of hundreds of thousands of items would keep only each item's top neighbours instead.
public struct ItemSimilarities: Sendable {
    /// Number of items.
    public let count: Int
    /// The similarity kind.
    public let kind: Similarity
    /// sim(i, j) at i × count + j (symmetric; 0 on the diagonal and for pairs with no common rater).
    public let values: [Float]
    /// The number of users who rated both i and j, at i × count + j.
    public let common: [Int32]

    /// The similarity of items `a` and `b`.
    @inlinable public func callAsFunction(_ a: Int, _ b: Int) -> Double { Double(values[a * count + b]) }

    /// Similarities of `kind` among the items of `ratings`, on `threads` threads (nil: every core).
    ///
    /// - Parameters:
    ///   - baseline: μ + b_u + b_i, needed by `.pearsonBaseline` (and ignored otherwise).
    ///   - shrinkage: the n in n / (n + shrinkage) of `.pearsonBaseline`.
    public init(_ ratings: Ratings, kind: Similarity, baseline: FactorModel? = nil, shrinkage: Double = 100, threads: Int? = nil) {
        require(kind != .pearsonBaseline || baseline != nil, "the baseline similarity needs a baseline model")
        let items = ratings.itemCount
        count = items
        self.kind = kind
        // What each rating contributes: the rating itself, less the item's mean, or less the baseline.
        let means = ratings.itemMeans()
        var x = [Float](repeating: 0, count: ratings.count)  // by user, in `entries` order
        for (index, r) in ratings.entries.enumerated() {
            let u = r.user, i = r.item
            switch kind {
            case .cosine: x[index] = Float(r.value)
            case .pearson: x[index] = Float(r.value - means[i])
            case .pearsonBaseline: x[index] = Float(r.value - (baseline?.score(user: u, item: i) ?? 0))
            }
        }
        var values = [Float](repeating: 0, count: items * items), common = [Int32](repeating: 0, count: items * items)
        let userStarts = ratings.userStarts, entries = ratings.entries
        // Where each of an item's ratings sits in `entries` (by user), so that its x can be read.
        var positionByItem = [Int](repeating: 0, count: ratings.count)
        do {
            var next = ratings.itemStarts
            for (index, r) in entries.enumerated() {
                positionByItem[next[r.item]] = index
                next[r.item] += 1
            }
        }
        let itemStarts = ratings.itemStarts, byItem = ratings.entriesByItem, positions = positionByItem
        let workers = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let shrink = Float(shrinkage), pearsonBaseline = kind == .pearsonBaseline
        values.withUnsafeMutableBufferPointer { out in
            common.withUnsafeMutableBufferPointer { counts in
                x.withUnsafeBufferPointer { xs in
                    let output = SharedSlots(out), outCounts = SharedSlots(counts), xValues = ReadOnly(xs)
                    let chunks = workers == 1 ? 1 : workers * 8
                    let work: @Sendable (Int) -> Void = { chunk in
                        var xy = [Float](repeating: 0, count: items), xx = [Float](repeating: 0, count: items)
                        var yy = [Float](repeating: 0, count: items), n = [Int32](repeating: 0, count: items)
                        var touched = [Int]()
                        // Interleaved rows, so that both threads get long and short rows alike.
                        for i in Swift.stride(from: chunk, to: items, by: chunks) {
                            for p in itemStarts[i]..<itemStarts[i + 1] {
                                let u = Int(byItem[p].user), xi = xValues.base[positions[p]]
                                for q in userStarts[u]..<userStarts[u + 1] {
                                    let j = Int(entries[q].item)
                                    if j <= i { continue }
                                    let xj = xValues.base[q]
                                    if n[j] == 0 { touched.append(j) }
                                    xy[j] += xi * xj
                                    xx[j] += xi * xi
                                    yy[j] += xj * xj
                                    n[j] += 1
                                }
                            }
                            for j in touched {
                                let norms = (xx[j] * yy[j]).squareRoot()
                                var sim: Float = norms > 0 ? xy[j] / norms : 0
                                if pearsonBaseline { sim *= Float(n[j]) / (Float(n[j]) + shrink) }
                                output.base[i * items + j] = sim
                                output.base[j * items + i] = sim
                                outCounts.base[i * items + j] = n[j]
                                outCounts.base[j * items + i] = n[j]
                                xy[j] = 0; xx[j] = 0; yy[j] = 0; n[j] = 0
                            }
                            touched.removeAll(keepingCapacity: true)
                        }
                    }
                    if chunks == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: work) }
                }
            }
        }
        self.values = values
        self.common = common
    }

    /// Cosine similarities of implicit feedback (who interacted with what, whatever the values): the cosine of the two
    /// items' 0/1 columns over all users, |U_i ∩ U_j| / √(|U_i| |U_j|). Unlike `.cosine`, which compares the values
    /// over the common raters only (and so gives 1 for any two columns of 1s), it needs the items' own counts.
    public static func interactionCosine(_ ratings: Ratings, threads: Int? = nil) -> ItemSimilarities {
        let counted = ItemSimilarities(ratings.interactions, kind: .cosine, shrinkage: 0, threads: threads)
        let n = (0..<ratings.itemCount).map { Float(ratings.ratings(ofItem: $0).count) }, items = ratings.itemCount
        var values = [Float](repeating: 0, count: items * items)
        for i in 0..<items {
            for j in 0..<items where counted.common[i * items + j] > 0 {
                values[i * items + j] = Float(counted.common[i * items + j]) / (n[i] * n[j]).squareRoot()
            }
        }
        return ItemSimilarities(count: items, kind: .cosine, values: values, common: counted.common)
    }

    private init(count: Int, kind: Similarity, values: [Float], common: [Int32]) {
        self.count = count
        self.kind = kind
        self.values = values
        self.common = common
    }

    /// The shrunk correlation of two items' residual lists (each sorted by user), in double precision: over the n
    /// users in both, Σ x y / √(Σ x² Σ y²) · n / (n + shrinkage); 0 with no common user. The table above computes the
    /// same in 32-bit floats for every pair at once; this is the one-pair version.
    public static func shrunkCorrelation(_ a: [(user: Int, residual: Double)], _ b: [(user: Int, residual: Double)], shrinkage: Double) -> Double {
        var i = 0, j = 0, n = 0.0, xy = 0.0, xx = 0.0, yy = 0.0
        while i < a.count && j < b.count {
            if a[i].user != b[j].user {
                if a[i].user < b[j].user { i += 1 } else { j += 1 }
                continue
            }
            xy += a[i].residual * b[j].residual
            xx += a[i].residual * a[i].residual
            yy += b[j].residual * b[j].residual
            n += 1
            i += 1
            j += 1
        }
        let norms = (xx * yy).squareRoot()
        return n > 0 && norms > 0 ? xy / norms * n / (n + shrinkage) : 0
    }

    /// The `count` items most similar to `item`, best first (never `item` itself), among those `include` allows.
    public func mostSimilar(to item: Int, count: Int, include: (Int) -> Bool = { _ in true }) -> [(item: Int, similarity: Double)] {
        var list = [(item: Int, similarity: Double)]()
        for other in 0..<self.count where other != item && include(other) { list.append((other, self(item, other))) }
        list.sort { $0.similarity != $1.similarity ? $0.similarity > $1.similarity : $0.item < $1.item }
        return Array(list.prefix(count))
    }
}
