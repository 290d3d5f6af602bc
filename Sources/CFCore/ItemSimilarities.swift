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

/// The item-item similarities of a set of ratings, with each pair's number of common raters, kept as each item's
/// nearest neighbours (a sparse row per item).
///
/// Built row by row by a sparse co-rating product: for item i, a pass over its raters u and, for each, over the other
/// items j that u rated, accumulating Σ x_i x_j, Σ x_i², Σ x_j² and the count for the pair (x is the raw rating, the
/// rating less the item's mean, or the baseline residual). The work is Σ_u n_u² over users' rating counts n_u (each
/// pair is visited from both ends, so that a row is finished before the next starts), never touches a pair without a
/// common rater, and the working memory is four arrays of one row per thread.
///
/// Each row keeps the items with a common rater, best first by similarity then by index, up to `kept` of them:
/// with a catalogue of at most `exactUpTo` items every such item (so every prediction and list is what the full table
/// gives; memory at most exactUpTo² × 12 bytes, 201 MB), beyond it the `keep` best (memory items × keep × 12 bytes;
/// 59,047 movies × 300 = 213 MB). A truncated row changes a neighbour prediction for a user who rated fewer than k of
/// the item's kept neighbours: it then averages over those only, where the full table would reach further down.
/// A user with more than `ratingsPerUser` ratings (when set) contributes a fixed sample of that many to the sums.
public struct ItemSimilarities: Sendable {
    /// Number of items.
    public let count: Int
    /// The similarity kind.
    public let kind: Similarity
    /// The most neighbours a row keeps (count − 1 when every item with a common rater is kept).
    public let kept: Int
    /// Row i is `neighbourItems[rowStarts[i]..<rowStarts[i + 1]]`, in increasing item order.
    public let rowStarts: [Int]
    /// The neighbours of each row.
    public let neighbourItems: [Int32]
    /// sim(i, j) of each kept neighbour.
    public let values: [Float]
    /// The number of users who rated both i and j, for each kept neighbour.
    public let commonRaters: [Int32]
    /// Users whose ratings were sampled down to `ratingsPerUser` (0 when none was).
    public let sampledUsers: Int
    /// Ratings left out of the sums by that sampling.
    public let ratingsLeftOut: Int

    /// Catalogues up to this size keep every neighbour by default.
    public static let exactUpTo = 4096
    /// Neighbours kept per item beyond `exactUpTo` by default.
    public static let defaultKeep = 300

    /// Where `b` sits in row `a`, if kept.
    @inlinable func position(_ a: Int, _ b: Int) -> Int? {
        var low = rowStarts[a], high = rowStarts[a + 1]
        let target = Int32(truncatingIfNeeded: b)
        while low < high {
            let mid = (low + high) / 2
            if neighbourItems[mid] < target { low = mid + 1 } else { high = mid }
        }
        return low < rowStarts[a + 1] && neighbourItems[low] == target ? low : nil
    }

    /// The similarity of items `a` and `b` (0 when `b` is not among `a`'s kept neighbours).
    @inlinable public func callAsFunction(_ a: Int, _ b: Int) -> Double { position(a, b).map { Double(values[$0]) } ?? 0 }

    /// The number of users who rated both `a` and `b` (0 when `b` is not among `a`'s kept neighbours).
    public func common(_ a: Int, _ b: Int) -> Int { position(a, b).map { Int(commonRaters[$0]) } ?? 0 }

    /// Bytes held by the rows.
    public var storageBytes: Int { rowStarts.count * 8 + neighbourItems.count * 4 + values.count * 4 + commonRaters.count * 4 }

    /// What a pair's sums become.
    enum Measure { case similarity(Similarity, shrinkage: Float), interactionCosine }

    /// Similarities of `kind` among the items of `ratings`, on `threads` threads (nil: every core).
    ///
    /// - Parameters:
    ///   - baseline: μ + b_u + b_i, needed by `.pearsonBaseline` (and ignored otherwise).
    ///   - shrinkage: the n in n / (n + shrinkage) of `.pearsonBaseline`.
    ///   - keep: neighbours kept per row when the catalogue has more than `exactUpTo` items.
    ///   - ratingsPerUser: when set, a user with more ratings contributes a fixed sample of this many.
    public init(
        _ ratings: Ratings, kind: Similarity, baseline: FactorModel? = nil, shrinkage: Double = 100, keep: Int = ItemSimilarities.defaultKeep,
        exactUpTo: Int = ItemSimilarities.exactUpTo, ratingsPerUser: Int? = nil, threads: Int? = nil
    ) {
        require(kind != .pearsonBaseline || baseline != nil, "the baseline similarity needs a baseline model")
        // What each rating contributes: the rating itself, less the item's mean, or less the baseline.
        let means = ratings.itemMeans()
        let x: (Rating) -> Float = { r in
            switch kind {
            case .cosine: Float(r.value)
            case .pearson: Float(r.value - means[r.item])
            case .pearsonBaseline: Float(r.value - (baseline?.score(user: r.user, item: r.item) ?? 0))
            }
        }
        self.init(
            ratings, kind: kind, measure: .similarity(kind, shrinkage: Float(shrinkage)), x: x, keep: keep, exactUpTo: exactUpTo,
            ratingsPerUser: ratingsPerUser, threads: threads)
    }

    /// Cosine similarities of implicit feedback (who interacted with what, whatever the values): the cosine of the two
    /// items' 0/1 columns over all users, |U_i ∩ U_j| / √(|U_i| |U_j|). Unlike `.cosine`, which compares the values
    /// over the common raters only (and so gives 1 for any two columns of 1s), it needs the items' own counts.
    public static func interactionCosine(
        _ ratings: Ratings, keep: Int = ItemSimilarities.defaultKeep, exactUpTo: Int = ItemSimilarities.exactUpTo, ratingsPerUser: Int? = nil,
        threads: Int? = nil
    ) -> ItemSimilarities {
        ItemSimilarities(
            ratings, kind: .cosine, measure: .interactionCosine, x: { _ in 1 }, keep: keep, exactUpTo: exactUpTo, ratingsPerUser: ratingsPerUser,
            threads: threads)
    }

    private init(
        _ all: Ratings, kind: Similarity, measure: Measure, x: (Rating) -> Float, keep: Int, exactUpTo: Int, ratingsPerUser: Int?,
        threads: Int?
    ) {
        require(keep >= 1, "keep at least one neighbour per item")
        let items = all.itemCount
        count = items
        self.kind = kind
        let limit = items <= exactUpTo ? max(items - 1, 0) : min(keep, max(items - 1, 0))
        kept = limit
        // The ratings that enter the sums: all, or a fixed sample of each heavy user's.
        let (ratings, sampled) = ItemSimilarities.sample(all, ratingsPerUser: ratingsPerUser)
        sampledUsers = sampled
        ratingsLeftOut = all.count - ratings.count
        let entries = ratings.entries, userStarts = ratings.userStarts, itemStarts = ratings.itemStarts, byItem = ratings.entriesByItem
        let xs = entries.map(x)  // by user, in `entries` order
        // Where each of an item's ratings sits in `entries` (by user), so that its x can be read.
        var positionByItem = [Int](repeating: 0, count: ratings.count)
        do {
            var next = itemStarts
            for (index, r) in entries.enumerated() {
                positionByItem[next[r.item]] = index
                next[r.item] += 1
            }
        }
        let positions = positionByItem
        let raters = (0..<items).map { Float(itemStarts[$0 + 1] - itemStarts[$0]) }
        let workers = threads ?? ProcessInfo.processInfo.activeProcessorCount
        struct Row { var items: [Int32] = [], values: [Float] = [], common: [Int32] = [] }
        var rows = [Row](repeating: Row(), count: items)
        rows.withUnsafeMutableBufferPointer { buffer in
            let output = SharedSlots(buffer)
            let chunks = workers == 1 ? 1 : workers * 8
            let work: @Sendable (Int) -> Void = { chunk in
                var xy = [Float](repeating: 0, count: items), xx = [Float](repeating: 0, count: items)
                var yy = [Float](repeating: 0, count: items), n = [Int32](repeating: 0, count: items)
                var touched = [Int](), best = [(item: Int, value: Float, n: Int32)]()
                var heap = BoundedHeap<(item: Int, value: Float, n: Int32)>(capacity: limit)
                // A row's candidates better first: by similarity, then by index.
                func better(_ a: (item: Int, value: Float, n: Int32), _ b: (item: Int, value: Float, n: Int32)) -> Bool {
                    a.value != b.value ? a.value > b.value : a.item < b.item
                }
                // Interleaved rows, so that both threads get long and short rows alike.
                for i in Swift.stride(from: chunk, to: items, by: chunks) {
                    for p in itemStarts[i]..<itemStarts[i + 1] {
                        let u = Int(byItem[p].user), xi = xs[positions[p]]
                        for q in userStarts[u]..<userStarts[u + 1] {
                            let j = Int(entries[q].item)
                            if j == i { continue }
                            let xj = xs[q]
                            if n[j] == 0 { touched.append(j) }
                            xy[j] += xi * xj
                            xx[j] += xi * xi
                            yy[j] += xj * xj
                            n[j] += 1
                        }
                    }
                    // The best `limit` of the row, kept in a heap whose root is the worst kept so far; every one, in item
                    // order, when the row is not cut (a scan of the small catalogue).
                    best.removeAll(keepingCapacity: true)
                    let whole = touched.count <= limit
                    if whole, items <= exactUpTo {
                        touched.removeAll(keepingCapacity: true)
                        for j in 0..<items where n[j] > 0 { touched.append(j) }
                    }
                    for j in touched {
                        var sim: Float
                        switch measure {
                        case .similarity(let kind, let shrink):
                            let norms = (xx[j] * yy[j]).squareRoot()
                            sim = norms > 0 ? xy[j] / norms : 0
                            if kind == .pearsonBaseline { sim *= Float(n[j]) / (Float(n[j]) + shrink) }
                        case .interactionCosine:
                            sim = Float(n[j]) / (raters[i] * raters[j]).squareRoot()
                        }
                        let candidate = (item: j, value: sim, n: n[j])
                        xy[j] = 0; xx[j] = 0; yy[j] = 0; n[j] = 0
                        if whole { best.append(candidate) } else { heap.offer(candidate, by: better) }
                    }
                    if !whole {
                        best = heap.elements
                        heap.removeAll()
                    }
                    touched.removeAll(keepingCapacity: true)
                    if !(whole && items <= exactUpTo) { best.sort { $0.item < $1.item } }
                    output.base[i] = Row(items: best.map { Int32($0.item) }, values: best.map(\.value), common: best.map(\.n))
                }
            }
            if chunks == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: work) }
        }
        var starts = [0]
        starts.reserveCapacity(items + 1)
        for row in rows { starts.append(starts[starts.count - 1] + row.items.count) }
        rowStarts = starts
        var neighbourItems = [Int32](), values = [Float](), common = [Int32]()
        neighbourItems.reserveCapacity(starts[items])
        values.reserveCapacity(starts[items])
        common.reserveCapacity(starts[items])
        for i in 0..<items {
            neighbourItems += rows[i].items
            values += rows[i].values
            common += rows[i].common
            rows[i] = Row()
        }
        self.neighbourItems = neighbourItems
        self.values = values
        self.commonRaters = common
    }

    /// The ratings a table with `ratingsPerUser` counts, and the number of users sampled: each user with more ratings
    /// keeps a fixed sample of that many (the same in every run), everyone else all of theirs.
    public static func sample(_ all: Ratings, ratingsPerUser: Int?) -> (ratings: Ratings, sampledUsers: Int) {
        guard let cap = ratingsPerUser, (0..<all.userCount).contains(where: { all.ratings(ofUser: $0).count > cap }) else { return (all, 0) }
        require(cap >= 2, "sample at least two ratings per user")
        var kept = [Rating](), sampled = 0
        kept.reserveCapacity(all.count)
        for u in 0..<all.userCount {
            let own = all.ratings(ofUser: u)
            if own.count <= cap {
                kept += own
            } else {
                sampled += 1
                var rng = RandomState(seed: 17 &+ UInt32(truncatingIfNeeded: u) &* 2_654_435_761)
                var order = Array(own.indices)
                for n in 0..<cap { order.swapAt(n, n + rng.integer(upTo: own.count - 1 - n)) }
                kept += order.prefix(cap).map { own[$0] }
            }
        }
        return (Ratings(trusted: kept, userCount: all.userCount, itemCount: all.itemCount), sampled)
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

    /// The `count` items most similar to `item` among its kept neighbours, best first (ties by index; never `item`
    /// itself), among those `include` allows.
    public func mostSimilar(to item: Int, count: Int, include: (Int) -> Bool = { _ in true }) -> [(item: Int, similarity: Double)] {
        var list = [(item: Int, similarity: Double)]()
        for p in rowStarts[item]..<rowStarts[item + 1] where include(Int(neighbourItems[p])) {
            list.append((Int(neighbourItems[p]), Double(values[p])))
        }
        list.sort { $0.similarity != $1.similarity ? $0.similarity > $1.similarity : $0.item < $1.item }
        return Array(list.prefix(count))
    }
}
