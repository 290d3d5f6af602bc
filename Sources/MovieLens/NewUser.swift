import Foundation

extension MovieLens {
    /// A built-in new user's ratings, by MovieLens 100K movie id: space opera and adventure yes, teen horror and
    /// slapstick no. Ids the data set lacks are left out.
    public var sampleNewUserRatings: [(item: Int, rating: Double)] {
        let builtIn: [(Int, Double)] = [(50, 5), (181, 5), (174, 5), (1, 4), (173, 4), (258, 4), (100, 4), (313, 2), (288, 2), (294, 1)]
        return builtIn.compactMap { id, rating in movieIndex(id: id).map { ($0, rating) } }
    }

    /// A new user's ratings from a file of `movie id, rating` lines (blank lines and `#` comments allowed).
    ///
    /// - Throws: `MovieLensError` naming the file and line of anything it cannot use.
    public func newUserRatings(fromFile path: String) throws -> [(item: Int, rating: Double)] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw MovieLensError.missingFile(path + " (or it is not readable UTF-8 text)")
        }
        var result = [(item: Int, rating: Double)]()
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            let parts = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let id = Int(parts[0]), let rating = Double(parts[1]) else {
                throw MovieLensError.malformedLine(file: path, line: offset + 1, reason: "expected `movie id, rating`, found `\(line)`")
            }
            guard let item = movieIndex(id: id) else {
                throw MovieLensError.malformedLine(file: path, line: offset + 1, reason: "movie \(id) is not in \(format.rawValue)")
            }
            guard scale.contains(rating) else {
                throw MovieLensError.ratingOutOfScale(file: path, line: offset + 1, value: rating, scale: scale)
            }
            result.append((item, rating))
        }
        guard !result.isEmpty else { throw MovieLensError.emptyFile(path) }
        return result
    }
}
