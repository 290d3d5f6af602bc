extension FactorModel {
    /// The cosine of the angle between the factor vectors of two items (0 if either is all zeros).
    public func cosineSimilarity(item a: Int, _ b: Int) -> Double {
        let k = factorCount
        let x = itemFactors.elements[(a * k)..<((a + 1) * k)], y = itemFactors.elements[(b * k)..<((b + 1) * k)]
        let norms = (dot(x, x) * dot(y, y)).squareRoot()
        return norms > 0 ? dot(x, y) / norms : 0
    }

    /// The `count` items whose factors point most nearly the same way as `item`'s, most similar first,
    /// never `item` itself, and only among items for which `include` is true.
    public func similarItems(to item: Int, count: Int, include: (Int) -> Bool = { _ in true }) -> [(item: Int, similarity: Double)] {
        (0..<itemCount).filter { $0 != item && include($0) }
            .map { (item: $0, similarity: cosineSimilarity(item: item, $0)) }
            .sorted { $0.similarity != $1.similarity ? $0.similarity > $1.similarity : $0.item < $1.item }
            .prefix(count).map { $0 }
    }
}
