import CFCore
import Foundation
import MovieLens
import TestSupport
import Testing

@Suite("a new user's ratings, and movies named on the command line")
struct NewUserTests {
    /// A latest-small catalogue in which the built-in user's movies have latest-small's ids and titles,
    /// and id 50 (Star Wars in MovieLens 100K) is another movie.
    func latestSmall() throws -> (MovieLens, Fixture) {
        let titles: [(Int, String)] = [
            (260, "Star Wars: Episode IV - A New Hope (1977)"), (1210, "Star Wars: Episode VI - Return of the Jedi (1983)"),
            (1198, "Raiders of the Lost Ark (Indiana Jones and the Raiders of the Lost Ark) (1981)"), (1, "Toy Story (1995)"),
            (1197, "\"Princess Bride, The (1987)\""), (1584, "Contact (1997)"), (608, "Fargo (1996)"), (50, "Usual Suspects, The (1995)")
        ]
        var ratings = "userId,movieId,rating,timestamp\n"
        for (index, movie) in titles.enumerated() { ratings += "1,\(movie.0),\(Double(index % 5) + 1),0\n" }
        let fixture = try Fixture(text: [
            "movies.csv": "movieId,title,genres\n" + titles.map { "\($0.0),\($0.1),Drama" }.joined(separator: "\n") + "\n",
            "ratings.csv": ratings
        ])
        return (try MovieLens.load(from: fixture.folder), fixture)
    }

    @Test("the built-in new user is resolved by title on another catalogue, never by MovieLens 100K's ids")
    func byTitle() throws {
        let (data, fixture) = try latestSmall()
        defer { fixture.cleanUp() }
        let user = data.builtInNewUser
        let rated = Dictionary(uniqueKeysWithValues: user.ratings.map { (data.movieIDs[$0.item], $0.rating) })
        #expect(rated == [260: 5, 1210: 5, 1198: 5, 1: 4, 1197: 4, 1584: 4, 608: 4])
        #expect(rated[50] == nil, "MovieLens 100K's id of Star Wars names another movie here")
        #expect(user.description.contains("3 of its movies are not in MovieLens latest-small"))
        // The default "because you liked" movie is found the same way.
        #expect(data.movieIDs[try data.anchorMovie(id: nil)] == 260)
        #expect(data.movieIDs[try data.anchorMovie(id: 608)] == 608)
        #expect(throws: MovieLensError.unknownMovieID(99999, valid: "1 to 1584", dataSet: "MovieLens latest-small")) {
            try data.anchorMovie(id: 99999)
        }
    }

    @Test("without the built-in movies (synthetic data), a stand-in is made from the data and said to be one")
    func standIn() throws {
        let data = try MovieLens.synthetic(seed: 3, users: 60, movies: 80, count: 2000)
        let user = data.builtInNewUser
        #expect(user.description.hasPrefix("a stand-in new user"))
        #expect(user.ratings.count == 10 && Set(user.ratings.map(\.item)).count == 10)
        let popular = Set(data.moviesByPopularity.prefix(30))
        #expect(user.ratings.allSatisfy { popular.contains($0.item) && data.scale.contains($0.rating) })
        // The liked ones have higher means than the disliked ones.
        let mean = { (item: Int) in data.ratings.ratings(ofItem: item).reduce(0) { $0 + $1.value } / Double(data.ratings.ratings(ofItem: item).count) }
        let liked = user.ratings.filter { $0.rating >= 4 }.map { mean($0.item) }, disliked = user.ratings.filter { $0.rating <= 2 }.map { mean($0.item) }
        #expect(liked.min()! > disliked.max()!)
    }

    @Test("a ratings file: Windows line endings and comments pass; a duplicate, an unknown id, a folder are one line with the place")
    func file() throws {
        let (data, fixture) = try latestSmall()
        defer { fixture.cleanUp() }
        let path = fixture.folder.appendingPathComponent("mine.txt").path
        try Data("# mine\r\n260, 5\r\n\r\n608,4.5 # good\r\n".utf8).write(to: URL(fileURLWithPath: path))
        let mine = try data.newUserRatings(fromFile: path)
        #expect(mine.map { data.movieIDs[$0.item] } == [260, 608] && mine.map(\.rating) == [5, 4.5])
        try Data("260, 5\n1, 3\n260, 4\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: MovieLensError.malformedLine(file: path, line: 3, reason: "movie 260 is rated again (first on line 1)")) {
            try data.newUserRatings(fromFile: path)
        }
        try Data("99999, 5\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(
            throws: MovieLensError.malformedLine(file: path, line: 1, reason: "movie 99999 is not in MovieLens latest-small (its movie ids run from 1 to 1584)")
        ) {
            try data.newUserRatings(fromFile: path)
        }
        #expect(throws: MovieLensError.unreadable(file: fixture.folder.path, reason: "it is a folder, not a file")) {
            try data.newUserRatings(fromFile: fixture.folder.path)
        }
    }

    @Test("a fold file with a duplicate names its file, line and MovieLens ids; a movie listed twice in u.item too")
    func foldDuplicates() throws {
        let fixture = try Fixture(text: [
            "u.item": "1|One (1990)|x\n7|Seven (1997)|x\n",
            "u.data": "10\t7\t5\t0\n2\t1\t3\t0\n",
            "u1.base": "10\t7\t5\t0\n2\t1\t3\t0\n10\t7\t4\t0\n",
            "u1.test": "2\t7\t3\t0\n"
        ])
        defer { fixture.cleanUp() }
        let data = try MovieLens.load(from: fixture.folder)
        #expect(
            throws: MovieLensError.malformedLine(
                file: fixture.folder.appendingPathComponent("u1.base").path, line: 3,
                reason: "user 10 rated movie 7 again (first on line 1)")
        ) {
            try data.split(fold: 1)
        }
        try Data("1|One (1990)|x\n7|Seven (1997)|x\n1|One again|x\n".utf8).write(to: fixture.folder.appendingPathComponent("u.item"))
        #expect(
            throws: MovieLensError.malformedLine(
                file: fixture.folder.appendingPathComponent("u.item").path, line: 3,
                reason: "movie 1 is listed a second time")
        ) {
            try MovieLens.load(from: fixture.folder)
        }
    }
}
