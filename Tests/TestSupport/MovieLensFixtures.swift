// The small data sets the tests write, in MovieLens's published formats: 100K's u.data/u.item with a fold, and
// latest-small's ratings.csv/movies.csv.
import Foundation

// MARK: MovieLens 100K's format

/// A small MovieLens-100K-format data set (40 users, 60 movies) generated from a two-factor model, with an
/// official fold u1.base / u1.test so that tests know exactly which ratings train and which test.
public func writeSmallMovieLens() throws -> URL {
    let folder = try temporaryFolder("cf-small-ml")
    var items = ""
    for movie in 1...60 { items += "\(movie)|Movie \(movie) (19\(movie % 90 + 10))|01-Jan-1995||http://x|0\n" }
    let all = smallRatings()
    func lines(_ ratings: [SmallRating]) -> String { ratings.map { "\($0.user)\t\($0.movie)\t\(Int($0.value))\t881250949\n" }.joined() }
    try Data(lines(all).utf8).write(to: folder.appendingPathComponent("u.data"))
    try Data(lines(all.filter { !$0.isTest }).utf8).write(to: folder.appendingPathComponent("u1.base"))
    try Data(lines(all.filter(\.isTest)).utf8).write(to: folder.appendingPathComponent("u1.test"))
    try Data(items.utf8).write(to: folder.appendingPathComponent("u.item"))
    return folder
}

/// One rating of the small data set.
public struct SmallRating {
    public let user: Int, movie: Int, value: Double
    public var isTest: Bool { (user * 37 + movie * 11) % 7 == 0 }  // unrelated to the generator's own patterns
}

/// The small data set's ratings, in file order.
public func smallRatings() -> [SmallRating] {
    var ratings = [SmallRating]()
    for user in 1...40 {
        for movie in 1...60 where (user * 7 + movie * 3) % 5 < 2 {
            let taste = Double(user % 4) - 1.5, kind = Double(movie % 3) - 1
            let value = min(5, max(1, (3 + 0.8 * taste * kind + 0.3 * Double((user + movie) % 3 - 1)).rounded()))
            ratings.append(SmallRating(user: user, movie: movie, value: value))
        }
    }
    return ratings
}

/// The small 100K-format data set without its fold files (u.data and u.item only).
public func writeSmallMovieLensWithoutFolds() throws -> URL {
    let data = try writeSmallMovieLens()
    for name in ["u1.base", "u1.test"] { try FileManager.default.removeItem(at: data.appendingPathComponent(name)) }
    return data
}

// MARK: MovieLens latest-small's format

/// A small data set in MovieLens latest-small's own format (ratings.csv and movies.csv with headers, quoted titles,
/// half stars, Windows line endings in movies.csv), shaped like the real one where it matters for trust:
/// a core of 40 well-rated movies, ten of them titled as latest-small titles the built-in new user's movies
/// (under latest-small's ids, not MovieLens 100K's), and a long tail of 260 movies with two ratings each, all
/// 5 stars. On it the old rule (a minimum of ratings from the median movie, here 2, and plain means) put the
/// tail on top of every list.
public func writeLatestSmall() throws -> URL {
    let folder = try temporaryFolder("cf-latest-small")
    let named: [(id: Int, title: String)] = [
        (260, "Star Wars: Episode IV - A New Hope (1977)"), (1210, "Star Wars: Episode VI - Return of the Jedi (1983)"),
        (1198, "Raiders of the Lost Ark (Indiana Jones and the Raiders of the Lost Ark) (1981)"), (1, "Toy Story (1995)"),
        (1197, "Princess Bride, The (1987)"), (1584, "Contact (1997)"), (608, "Fargo (1996)"), (1721, "Titanic (1997)"),
        (1717, "Scream (1996)"), (1485, "Liar Liar (1997)")
    ]
    let core = named + (0..<30).map { (id: 2000 + $0, title: "Core Film \($0), Part \($0 % 3 + 1) (20\(10 + $0 % 10))") }
    let tail = (0..<260).map { (id: 5000 + $0, title: "Obscure Film \($0) (1999)") }
    var movies = "movieId,title,genres\r\n"
    for movie in core + tail {
        let title = movie.title.contains(",") ? "\"\(movie.title)\"" : movie.title
        movies += "\(movie.id),\(title),Drama|Comedy\r\n"
    }
    var ratings = "userId,movieId,rating,timestamp\n"
    for user in 1...60 {
        for (index, movie) in core.enumerated() where (user * 5 + index * 7) % 10 < 7 {
            // Two tastes and some noise, in half stars between 0.5 and 5; the core's means stay near 3.5.
            let taste = Double(user % 3) - 1, kind = Double(index % 3) - 1
            let raw = 3.4 + 0.7 * taste * kind + 0.25 * Double((user * 3 + index) % 5 - 2)
            ratings += "\(user),\(movie.id),\(min(5, max(0.5, (raw * 2).rounded() / 2))),964982703\n"
        }
        // Each tail movie gets two 5-star ratings, from users 2m+1 and 2m+2 (mod 60).
        for (index, movie) in tail.enumerated() where (index * 2) % 60 + 1 == user || (index * 2 + 1) % 60 + 1 == user {
            ratings += "\(user),\(movie.id),5.0,964982703\n"
        }
    }
    try Data(movies.utf8).write(to: folder.appendingPathComponent("movies.csv"))
    try Data(ratings.utf8).write(to: folder.appendingPathComponent("ratings.csv"))
    return folder
}
