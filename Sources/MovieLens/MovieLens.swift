import CFCore
import Foundation

/// A MovieLens data set: its ratings on dense indices, the original ids, and the movie titles.
///
/// Users and movies get dense indices (0, 1, 2, …) in increasing order of their MovieLens ids, so the
/// core can store them in arrays; `userIDs` and `movieIDs` map back for printing and for input.
public struct MovieLens: Sendable {
    /// The published formats, and the synthetic stand-in.
    public enum Format: String, Sendable {
        /// MovieLens 100K: u.data (tab-separated), u.item (`|`-separated, Latin-1), folds u1..u5.
        case ml100k = "MovieLens 100K"
        /// MovieLens 1M: ratings.dat and movies.dat (`::`-separated, Latin-1).
        case ml1m = "MovieLens 1M"
        /// MovieLens latest-small: ratings.csv and movies.csv (quoted CSV, half stars).
        case latestSmall = "MovieLens latest-small"
        /// Generated data of MovieLens 100K's shape, for when the real data cannot be had.
        case synthetic = "synthetic MovieLens-shaped data"
    }

    /// Which data set this is.
    public let format: Format
    /// The folder it was read from (nil for synthetic data).
    public let directory: URL?
    /// All ratings, users × movies on dense indices.
    public let ratings: Ratings
    /// The MovieLens id of each dense user index.
    public let userIDs: [Int]
    /// The MovieLens id of each dense movie index.
    public let movieIDs: [Int]
    /// The title of each dense movie index.
    public let titles: [String]
    /// The genres of each dense movie index, as the data set lists them (empty when it has none).
    public let genres: [[String]]
    /// The rating scale.
    public let scale: ClosedRange<Double>
    /// The scale's step: 1 (whole stars) for MovieLens 100K, 1M and the synthetic data, 0.5 for latest-small.
    public var step: Double { format == .latestSmall ? 0.5 : 1 }
    /// When each rating was made (seconds since 1970), on the same cells as `ratings`; nil when the ratings file has no
    /// timestamps. The synthetic data set's times are the order in which its ratings were generated.
    public let times: Ratings?
    private let userIndexByID: [Int: Int]
    private let movieIndexByID: [Int: Int]
    private let syntheticSplit: (training: Ratings, test: Ratings)?
    /// The size of the data set this one was sampled from (`sampledUsers`), nil when it is the whole data set.
    public let sampledFrom: (ratings: Int, users: Int, movies: Int)?

    /// Where a learner finds the movie ids, in words: the titles file of this format.
    public var whereMovieIDsAre: String {
        switch format {
        case .ml100k: return "the ids are in u.item"
        case .ml1m: return "the ids are in movies.dat"
        case .latestSmall: return "the ids are in movies.csv"
        case .synthetic: return "the generated movies have ids 1 to \(movieIDs.count)"
        }
    }

    /// MovieLens 100K's genres, in the order of its u.genre file and of the flags in u.item.
    static let genres100K = [
        "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama",
        "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western"
    ]

    /// Whether this is the published MovieLens 100K itself (its format and its size), so that published results
    /// on its folds apply: a small file in the same format is not.
    public var isPublished100K: Bool {
        format == .ml100k && ratings.count == 100_000 && ratings.userCount == 943 && ratings.itemCount == 1682
    }

    /// Whether the data is generated rather than real.
    public var isSynthetic: Bool { format == .synthetic }

    /// The dense index of the user with MovieLens id `id`.
    public func userIndex(id: Int) -> Int? { userIndexByID[id] }
    /// The dense index of the movie with MovieLens id `id`.
    public func movieIndex(id: Int) -> Int? { movieIndexByID[id] }

    init(
        format: Format, directory: URL?, ratings: Ratings, userIDs: [Int], movieIDs: [Int], titles: [String], genres: [[String]]? = nil,
        scale: ClosedRange<Double>, times: Ratings? = nil, syntheticSplit: (training: Ratings, test: Ratings)? = nil,
        sampledFrom: (ratings: Int, users: Int, movies: Int)? = nil
    ) {
        self.times = times
        self.sampledFrom = sampledFrom
        self.genres = genres ?? [[String]](repeating: [], count: titles.count)
        self.format = format
        self.directory = directory
        self.ratings = ratings
        self.userIDs = userIDs
        self.movieIDs = movieIDs
        self.titles = titles
        self.scale = scale
        userIndexByID = Dictionary(uniqueKeysWithValues: userIDs.enumerated().map { ($1, $0) })
        movieIndexByID = Dictionary(uniqueKeysWithValues: movieIDs.enumerated().map { ($1, $0) })
        self.syntheticSplit = syntheticSplit
    }

    /// Reads the data set in `directory`, recognising its format by the files it holds.
    public static func load(from directory: URL) throws -> MovieLens {
        func has(_ name: String) -> Bool { FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path) }
        if has("u.data") { return try load100K(directory) }
        if has("ratings.dat") { return try loadDelimited(directory, format: .ml1m) }
        if has("ratings.csv") { return try loadDelimited(directory, format: .latestSmall) }
        throw MovieLensError.notFound(directory: directory.path)
    }

    /// A training and test set, and how they were made.
    public struct Split: Sendable {
        /// The ratings trained on.
        public let training: Ratings
        /// The ratings tested on.
        public let test: Ratings
        /// How the split was made, for a sentence: "the official fold u1.base / u1.test".
        public let description: String
        /// Its short name, for labels and headers: "u1", or "the test split" for a seeded split.
        public let name: String
        /// Whether it is one of MovieLens 100K's official folds, so that published figures on that fold apply.
        public let isOfficialFold: Bool
    }

    /// Whether MovieLens 100K's official fold `n` is there: both `u<n>.base` and `u<n>.test`.
    ///
    /// - Throws: `MovieLensError.missingFile` when only one of the two files is there (a broken fold is never
    ///   replaced by a random split).
    public func hasFold(_ n: Int) throws -> Bool {
        // A sample's users are not the fold files' users: a sample is split like any data set without folds.
        guard format == .ml100k, sampledFrom == nil, let directory else { return false }
        let files = ["u\(n).base", "u\(n).test"].map { directory.appendingPathComponent($0) }
        let present = files.map { FileManager.default.fileExists(atPath: $0.path) }
        if present[0] != present[1] { throw MovieLensError.missingFile(files[present[0] ? 1 : 0].path) }
        return present[0]
    }

    /// Whether all five official folds u1…u5 are there, so that `--folds 5` can run (an exercise suggests it only then).
    public var hasFiveFolds: Bool { (1...5).allSatisfy { (try? hasFold($0)) == true } }

    /// The default split, when no fold was asked for: MovieLens 100K's official fold u1 when it is there, else a seeded
    /// 80/20 split of all ratings (the synthetic data's own split for synthetic data).
    public func split(seed: UInt32) throws -> Split {
        if let syntheticSplit {
            return Split(
                training: syntheticSplit.training, test: syntheticSplit.test,
                description: "a seeded 80/20 split of the generated ratings", name: "the test split", isOfficialFold: false)
        }
        if try hasFold(1) { return try split(fold: 1) }
        var rng = RandomState(seed: seed)
        let (training, test) = try ratings.split(holdingOut: 0.2, rng: &rng)
        return Split(
            training: training, test: test, description: "a seeded 80/20 split (seed \(seed))", name: "the test split",
            isOfficialFold: false)
    }

    /// MovieLens 100K's official fold `n` (1...5), which was asked for.
    ///
    /// - Throws: `MovieLensError.missingFile` naming the file that is not there, or `.noFolds` for a data set without folds;
    ///   never a random split in its place.
    public func split(fold n: Int) throws -> Split {
        guard format == .ml100k, let directory else { throw MovieLensError.noFolds(dataSet: format.rawValue) }
        guard try hasFold(n) else { throw MovieLensError.missingFile(directory.appendingPathComponent("u\(n).base").path) }
        let training = try readFold(directory.appendingPathComponent("u\(n).base"))
        let test = try readFold(directory.appendingPathComponent("u\(n).test"))
        return Split(
            training: training, test: test, description: "the official fold u\(n).base / u\(n).test", name: "u\(n)",
            isOfficialFold: true)
    }

    // MARK: - MovieLens 100K

    private static func load100K(_ directory: URL) throws -> MovieLens {
        let items = try TextFile(directory.appendingPathComponent("u.item"))
        var movieIDs = [Int](), titles = [String](), genres = [[String]](), listed = Set<Int>()
        for line in items.lines {
            let parts = fields(line.bytes, separator: [0x7C])
            guard parts.count >= 2, let id = integer(parts[0]) else {
                throw items.malformed(line, "expected `movie id|title|…`")
            }
            guard listed.insert(id).inserted else { throw items.malformed(line, "movie \(id) is listed a second time") }
            movieIDs.append(id)
            // MovieLens 100K lists one movie (id 267) with the title "unknown": say what it is rather than print a word
            // that reads like missing data.
            let title = items.text(parts[1]).trimmingCharacters(in: .whitespaces)
            titles.append(title == "unknown" ? "untitled movie (id \(id))" : title)
            // The last 19 fields are 0/1 flags, one per genre of u.genre, in its order.
            let flags = parts.suffix(Self.genres100K.count)
            genres.append(
                parts.count >= 5 + Self.genres100K.count
                    ? zip(Self.genres100K, flags).filter { $0.1.elementsEqual([0x31]) }.map(\.0) : [])
        }
        let data = try TextFile(directory.appendingPathComponent("u.data"))
        var triples = try readTriples(data, separator: [0x09], scale: 1...5, step: 1)
        return try assemble(
            .ml100k, directory, triples: &triples, path: data.path, movieIDs: movieIDs, titles: titles, genres: genres,
            titlesName: items.path, scale: 1...5)
    }

    private func readFold(_ url: URL) throws -> Ratings {
        let file = try TextFile(url)
        let triples = try Self.readTriples(file, separator: [0x09], scale: scale, step: step)
        var ratings = [Rating]()
        ratings.reserveCapacity(triples.count)
        var firstLine = [Int: Int]()  // user index × movie count + movie index → the line that rated it first
        for t in triples {
            guard let u = userIndexByID[t.user] else { throw MovieLensError.unknownUser(file: file.path, line: t.line, user: t.user) }
            guard let i = movieIndexByID[t.movie] else {
                throw MovieLensError.unknownMovie(file: file.path, line: t.line, movie: t.movie, titles: "u.item")
            }
            if let first = firstLine.updateValue(t.line, forKey: u * movieIDs.count + i) {
                throw MovieLensError.malformedLine(
                    file: file.path, line: t.line,
                    reason: "user \(t.user) rated movie \(t.movie) again (first on line \(first))")
            }
            ratings.append(Rating(user: u, item: i, value: t.value))
        }
        return try Ratings(userCount: userIDs.count, itemCount: movieIDs.count, ratings: ratings)
    }

    // MARK: - MovieLens 1M and latest-small

    private static func loadDelimited(_ directory: URL, format: Format) throws -> MovieLens {
        let csv = format == .latestSmall
        let movies = try TextFile(directory.appendingPathComponent(csv ? "movies.csv" : "movies.dat"))
        var movieIDs = [Int](), titles = [String](), genres = [[String]](), listed = Set<Int>()
        for line in movies.lines {
            if csv && line.number == 1 && line.bytes.starts(with: Array("movieId".utf8)) { continue }
            if csv {
                guard let parts = csvFields(line.bytes, decode: movies.text), parts.count >= 2, let id = Int(parts[0]) else {
                    throw movies.malformed(line, "expected `movieId,title,genres` (titles with commas in double quotes)")
                }
                guard listed.insert(id).inserted else { throw movies.malformed(line, "movie \(id) is listed a second time") }
                movieIDs.append(id)
                titles.append(parts[1])
                genres.append(parts.count >= 3 ? parts[2].split(separator: "|").map(String.init).filter { $0 != "(no genres listed)" } : [])
            } else {
                let parts = fields(line.bytes, separator: [0x3A, 0x3A])
                guard parts.count >= 2, let id = integer(parts[0]) else {
                    throw movies.malformed(line, "expected `MovieID::Title::Genres`")
                }
                guard listed.insert(id).inserted else { throw movies.malformed(line, "movie \(id) is listed a second time") }
                movieIDs.append(id)
                titles.append(movies.text(parts[1]))
                genres.append(parts.count >= 3 ? movies.text(parts[2]).split(separator: "|").map(String.init) : [])
            }
        }
        let data = try TextFile(directory.appendingPathComponent(csv ? "ratings.csv" : "ratings.dat"))
        let scale: ClosedRange<Double> = csv ? 0.5...5 : 1...5
        var triples = try readTriples(
            data, separator: csv ? [0x2C] : [0x3A, 0x3A], scale: scale, step: csv ? 0.5 : 1,
            header: csv ? "userId" : nil)
        return try assemble(
            format, directory, triples: &triples, path: data.path, movieIDs: movieIDs, titles: titles, genres: genres,
            titlesName: movies.path, scale: scale)
    }

    // MARK: - Shared

    struct Triple {
        let user: Int, movie: Int, value: Double, line: Int
        /// The fourth field, when it is a whole number (MovieLens's timestamp).
        var time: Int? = nil
    }

    /// Reads `user SEP movie SEP rating [SEP timestamp]` lines, checking each rating against the scale.
    static func readTriples(
        _ file: TextFile, separator: [UInt8], scale: ClosedRange<Double>, step: Double,
        header: String? = nil
    ) throws -> [Triple] {
        var triples = [Triple]()
        triples.reserveCapacity(file.lines.count)
        let separatorText = separator == [0x09] ? "tab" : "`\(String(decoding: separator, as: UTF8.self))`"
        for line in file.lines {
            if let header, line.number == 1, line.bytes.starts(with: Array(header.utf8)) { continue }
            let parts = fields(line.bytes, separator: separator)
            guard parts.count >= 3 else {
                throw file.malformed(
                    line, "expected user, movie and rating separated by \(separatorText), found \(parts.count) field\(parts.count == 1 ? "" : "s")")
            }
            guard let user = integer(parts[0]) else { throw file.malformed(line, "user id `\(excerpt(parts[0]))` is not a whole number") }
            guard let movie = integer(parts[1]) else { throw file.malformed(line, "movie id `\(excerpt(parts[1]))` is not a whole number") }
            guard let value = decimal(parts[2]), value.isFinite else {
                throw file.malformed(line, "rating `\(excerpt(parts[2]))` is not a number")
            }
            guard scale.contains(value) else {
                throw MovieLensError.ratingOutOfScale(file: file.path, line: line.number, value: value, scale: scale)
            }
            guard isOnSteps(value, of: scale, step: step) else {
                throw file.malformed(line, "rating \(formatRating(value)) is between the steps of the scale, which has \(stepsInWords(scale, step: step))")
            }
            triples.append(Triple(user: user, movie: movie, value: value, line: line.number, time: parts.count >= 4 ? integer(parts[3]) : nil))
        }
        guard let first = triples.first else { throw MovieLensError.emptyFile(file.path) }
        // Timestamps on every line or on none: a few missing would make "most recent" mean nothing, and would drop
        // lesson 9's leave-last-out protocol for a data set that has timestamps after all.
        if let odd = triples.first(where: { ($0.time == nil) != (first.time == nil) }) {
            throw MovieLensError.malformedLine(
                file: file.path, line: odd.line,
                reason: first.time != nil
                    ? "no timestamp in the fourth field, though line \(first.line) has one (every line needs one, or none)"
                    : "a timestamp in the fourth field, though line \(first.line) has none (every line needs one, or none)")
        }
        return triples
    }

    /// Maps ids to dense indices (users from the ratings, movies from the titles file) and builds the data set.
    ///
    /// Memory is what limits the largest data sets (25 million lines), so the file's text is not kept (only its `path`,
    /// for errors), a repeated (user, movie) is found by sorting one 8-byte key per rating rather than by a dictionary
    /// of every pair, and the triples are released (`triples` is left empty) before the ratings are sorted into their two
    /// orders.
    private static func assemble(
        _ format: Format, _ directory: URL, triples: inout [Triple], path: String, movieIDs: [Int],
        titles: [String], genres: [[String]], titlesName: String, scale: ClosedRange<Double>
    ) throws -> MovieLens {
        let order = movieIDs.indices.sorted { movieIDs[$0] < movieIDs[$1] }
        let sortedMovies = order.map { movieIDs[$0] }, sortedTitles = order.map { titles[$0] }
        let sortedGenres = order.map { genres.indices.contains($0) ? genres[$0] : [] }
        let movieIndex = Dictionary(sortedMovies.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let userIDs = Array(Set(triples.map(\.user))).sorted()
        let userIndex = Dictionary(uniqueKeysWithValues: userIDs.enumerated().map { ($1, $0) })
        var ratings = [Rating](), times = [Rating](), keys = [UInt64]()
        ratings.reserveCapacity(triples.count)
        keys.reserveCapacity(triples.count)
        for t in triples {
            guard let i = movieIndex[t.movie] else {
                throw MovieLensError.unknownMovie(file: path, line: t.line, movie: t.movie, titles: (titlesName as NSString).lastPathComponent)
            }
            guard let u = userIndex[t.user] else { continue }  // every user of the triples is in the index
            ratings.append(Rating(user: u, item: i, value: t.value))
            keys.append(UInt64(u) << 32 | UInt64(i))
            if let time = t.time { times.append(Rating(user: u, item: i, value: Double(time))) }
        }
        // A pair rated twice: the first such line in the file, and the line that rated it before.
        keys.sort()
        var repeated = Set<UInt64>()
        for (a, b) in zip(keys, keys.dropFirst()) where a == b { repeated.insert(a) }
        keys = []
        if !repeated.isEmpty {
            var first = [UInt64: Int]()
            for t in triples {
                guard let i = movieIndex[t.movie], let u = userIndex[t.user] else { continue }
                let key = UInt64(u) << 32 | UInt64(i)
                guard repeated.contains(key) else { continue }
                if let line = first[key] {
                    throw MovieLensError.malformedLine(
                        file: path, line: t.line, reason: "user \(t.user) rated movie \(t.movie) again (first on line \(line))")
                }
                first[key] = t.line
            }
        }
        triples = []
        let all = try Ratings(userCount: userIDs.count, itemCount: sortedMovies.count, ratings: ratings)
        // Times only when every line has one: a partial record would make "most recent" mean nothing.
        let when = times.count == ratings.count ? try Ratings(userCount: userIDs.count, itemCount: sortedMovies.count, ratings: times) : nil
        return MovieLens(
            format: format, directory: directory, ratings: all, userIDs: userIDs, movieIDs: sortedMovies,
            titles: sortedTitles, genres: sortedGenres, scale: scale, times: when)
    }
}
