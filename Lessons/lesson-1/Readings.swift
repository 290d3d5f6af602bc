// Lesson 1's sentences that depend on the numbers (the tastes and factors a learner may edit in Tastes.swift).

import TextOutput

/// What one score is made of: which dimensions add to it and which take away, read from the products
/// taste × factor, one per dimension.
func scoreReading(user: String, movie: String, score: Double, products: [Double], dimensions: [String]) -> String {
    func listed(_ indices: [Int]) -> String {
        let parts = indices.map { "\(dimensions[$0]) (\(products[$0] >= 0 ? "+" : "")\(formatFixed(products[$0], digits: 2)))" }
        return parts.count <= 2 ? parts.joined(separator: " and ") : parts.dropLast().joined(separator: ", ") + " and " + parts.last!
    }
    let up = products.indices.filter { products[$0] > 0 }, down = products.indices.filter { products[$0] < 0 }
    let head = "\(movie) scores \(formatFixed(score, digits: 3)) for \(user)"
    if down.isEmpty && !up.isEmpty {
        return
            "\(head): every product is positive, so on \(up.count == products.count ? "every dimension" : listed(up)) the two agree (\(user) likes what the movie has, or dislikes what it lacks)."
    }
    if up.isEmpty && !down.isEmpty {
        return "\(head): every product is negative, so on \(down.count == products.count ? "every dimension" : listed(down)) the two disagree."
    }
    if up.isEmpty { return "\(head): every product is 0, so nothing speaks for or against it." }
    let total = products.reduce(0) { $0 + abs($1) }
    let ending = abs(score) < 0.2 * total ? ", and the two nearly cancel out" : score > 0 ? ", and what adds wins" : ", and what takes away wins"
    return "\(head): \(listed(up)) add\(up.count == 1 ? "s" : "") to it, \(listed(down)) take\(down.count == 1 ? "s" : "") away\(ending)."
}
