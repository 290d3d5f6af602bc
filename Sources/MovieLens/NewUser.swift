import Foundation

/// A new user's ratings, and where they came from.
public struct NewUser: Sendable {
    /// The ratings, by dense movie index.
    public var ratings: [(item: Int, rating: Double)]
    /// One sentence saying what these ratings are, for the lesson to print.
    public var description: String

    /// A new user with these ratings, described by `description`.
    public init(ratings: [(item: Int, rating: Double)], description: String) {
        self.ratings = ratings
        self.description = description
    }
}

extension MovieLens {
    /// The built-in new user's tastes, by title (with the year, as MovieLens writes them; one spelling per
    /// edition where they differ): space opera and adventure yes, teen horror and slapstick no.
    static let builtInTastes: [(titles: [String], rating: Double)] = [
        (["Star Wars (1977)", "Star Wars: Episode IV - A New Hope (1977)"], 5),
        (["Return of the Jedi (1983)", "Star Wars: Episode VI - Return of the Jedi (1983)"], 5),
        (["Raiders of the Lost Ark (1981)", "Raiders of the Lost Ark (Indiana Jones and the Raiders of the Lost Ark) (1981)"], 5),
        (["Toy Story (1995)"], 4),
        (["Princess Bride, The (1987)"], 4),
        (["Contact (1997)"], 4),
        (["Fargo (1996)"], 4),
        (["Titanic (1997)"], 2),
        (["Scream (1996)"], 2),
        (["Liar Liar (1997)"], 1)
    ]

    /// The dense index of the movie with one of these titles (compared without case and extra spaces), if any.
    public func movieIndex(titled candidates: [String]) -> Int? {
        func key(_ title: String) -> String { title.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        let wanted = Set(candidates.map(key))
        return titles.indices.first { wanted.contains(key(titles[$0])) }
    }

    /// The dense indices of the movies, most rated first (ties by index).
    public var moviesByPopularity: [Int] {
        let counts = (0..<ratings.itemCount).map { ratings.ratings(ofItem: $0).count }
        return counts.indices.sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
    }

    /// The movie of `--movie ID`, or when none is given, Star Wars (1977) if this data set has it, else its most rated movie.
    ///
    /// - Throws: `MovieLensError.unknownMovieID` naming the range of ids when the id is not in the data set.
    public func anchorMovie(id: Int?) throws -> Int {
        if let id {
            guard let index = movieIndex(id: id) else { throw MovieLensError.unknownMovieID(id, valid: idRange(movieIDs), dataSet: format.rawValue) }
            return index
        }
        return movieIndex(titled: Self.builtInTastes[0].titles) ?? moviesByPopularity[0]
    }

    /// The dense index of the user with MovieLens id `id` (as given on the command line).
    ///
    /// - Throws: `MovieLensError.unknownUserID` naming the range of ids when the id is not in the data set.
    public func user(id: Int) throws -> Int {
        guard let index = userIndex(id: id) else { throw MovieLensError.unknownUserID(id, valid: idRange(userIDs), dataSet: format.rawValue) }
        return index
    }

    /// The built-in new user, resolved by title on this data set.
    ///
    /// When the data set has at least six of its ten movies, those are rated as the built-in set says. Otherwise
    /// (synthetic data, or a catalogue without them) a stand-in is made from this data set and said to be one:
    /// among its 30 most rated movies, the five with the highest mean get 5, 5, 5, 4, 4 and the five with the
    /// lowest get 2, 2, 1, 1, 1 (each kept on the rating scale). Ids of one catalogue are never applied to another.
    public var builtInNewUser: NewUser {
        let found = Self.builtInTastes.compactMap { entry in movieIndex(titled: entry.titles).map { (item: $0, rating: entry.rating) } }
        if found.count >= 6 {
            let missing = Self.builtInTastes.count - found.count
            return NewUser(
                ratings: found,
                description: "the built-in new user, who likes space opera and adventure and dislikes teen horror and slapstick"
                    + (missing > 0 ? " (\(missing) of its movies are not in \(format.rawValue) and are left out)" : ""))
        }
        let popular = Array(moviesByPopularity.prefix(30))
        let means = popular.map { item -> Double in
            let list = ratings.ratings(ofItem: item)
            return list.isEmpty ? 0 : list.reduce(0) { $0 + $1.value } / Double(list.count)
        }
        let order = popular.indices.sorted { means[$0] != means[$1] ? means[$0] > means[$1] : popular[$0] < popular[$1] }
        let liked = order.prefix(5), disliked = order.suffix(5).reversed()
        var chosen = [(item: Int, rating: Double)]()
        for (index, rating) in zip(liked, [5.0, 5, 5, 4, 4]) { chosen.append((popular[index], rating)) }
        for (index, rating) in zip(disliked, [1.0, 1, 1, 2, 2]) where !chosen.contains(where: { $0.item == popular[index] }) {
            chosen.append((popular[index], scale.clamp(rating)))
        }
        return NewUser(
            ratings: chosen,
            description: """
                a stand-in new user made from this data set, because its catalogue lacks the built-in user's movies (Star Wars and \
                others, by title): 5 or 4 stars for the five best-liked of its 30 most rated movies, 1 or 2 for the five least liked
                """)
    }

    /// A new user's ratings from a file of `movie id, rating` lines (blank lines and `#` comments allowed;
    /// Unix or Windows line endings).
    ///
    /// - Throws: `MovieLensError` naming the file and line of anything it cannot use, including a movie rated twice.
    public func newUserRatings(fromFile path: String) throws -> [(item: Int, rating: Double)] {
        let data = try readRegularFile(path)
        // UTF-8, or else Latin-1: the same rule as the data files (only digits and commas matter here).
        let text = String(data: data, encoding: .utf8) ?? latin1(ArraySlice([UInt8](data)))
        var result = [(item: Int, rating: Double)](), firstLine = [Int: Int]()
        // "\r\n" is one Character in Swift, and a newline, so Windows files split the same way as Unix ones.
        for (offset, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let number = offset + 1
            let line = String(raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            let parts = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let id = Int(parts[0]), let rating = decimal(ArraySlice(parts[1].utf8)) else {
                throw MovieLensError.malformedLine(file: path, line: number, reason: "expected `movie id, rating`, found `\(excerpt(line))`")
            }
            guard let item = movieIndex(id: id) else {
                throw MovieLensError.malformedLine(
                    file: path, line: number,
                    reason: "movie \(id) is not in \(format.rawValue) (its movie ids run from \(idRange(movieIDs)))")
            }
            guard scale.contains(rating) else {
                throw MovieLensError.ratingOutOfScale(file: path, line: number, value: rating, scale: scale)
            }
            guard isOnSteps(rating, of: scale, step: step) else {
                throw MovieLensError.malformedLine(
                    file: path, line: number,
                    reason: "rating \(formatRating(rating)) is between the steps of "
                        + "\(format.rawValue)'s scale, which has \(stepsInWords(scale, step: step))")
            }
            if let first = firstLine.updateValue(number, forKey: id) {
                throw MovieLensError.malformedLine(file: path, line: number, reason: "movie \(id) is rated again (first on line \(first))")
            }
            result.append((item, rating))
        }
        guard !result.isEmpty else { throw MovieLensError.emptyFile(path) }
        return result
    }

    private func idRange(_ ids: [Int]) -> String {
        guard let first = ids.first, let last = ids.last else { return "none" }
        return "\(first) to \(last)"
    }
}
