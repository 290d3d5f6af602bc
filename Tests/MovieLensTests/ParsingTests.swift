import CFCore
import Foundation
@testable import MovieLens
import TestSupport
import Testing

@Suite("MovieLens parsers")
struct ParsingTests {
    @Test("100K: tab-separated ratings, Latin-1 titles, ids mapped to dense indices and back, the u1 fold")
    func ml100k() throws {
        // "Café" in Latin-1 is 43 61 66 E9.
        let item = Array("1|Toy Story (1995)|01-Jan-1995||http://x|0\n7|".utf8) + [0x43, 0x61, 0x66, 0xE9] + Array(" (1990)|x\n3|Three (1993)|x\n".utf8)
        let fixture = try Fixture([
            "u.item": item,
            "u.data": Array("10\t7\t5\t881250949\n2\t1\t3\t1\r\n10\t1\t4\t1\n2\t3\t1\t1\n".utf8),
            "u1.base": Array("10\t7\t5\t1\n2\t1\t3\t1\n2\t3\t1\t1\n".utf8),
            "u1.test": Array("10\t1\t4\t1\n".utf8)
        ])
        defer { fixture.cleanUp() }
        let data = try MovieLens.load(from: fixture.folder)
        #expect(data.format == .ml100k)
        #expect(data.userIDs == [2, 10] && data.movieIDs == [1, 3, 7])
        #expect(data.titles == ["Toy Story (1995)", "Three (1993)", "Café (1990)"])
        #expect(data.ratings.count == 4)
        #expect(data.ratings.value(user: data.userIndex(id: 10)!, item: data.movieIndex(id: 7)!) == 5)
        // The fourth field is when the rating was made, kept on the same cells.
        #expect(data.times?.value(user: data.userIndex(id: 10)!, item: data.movieIndex(id: 7)!) == 881_250_949)
        #expect(data.times?.count == 4)
        let split = try data.split(fold: 1)
        #expect(split.training.count == 3 && split.test.count == 1)
        #expect(split.description.contains("u1.base"))
    }

    @Test("timestamps on every line or on none: one line without is an error naming it (issue 22, item 6)")
    func partialTimes() throws {
        // Before: one line without a timestamp silently dropped every time, and lesson 9 said the data had none.
        let fixture = try Fixture([
            "movies.dat": Array("1::Toy Story (1995)::Animation\n2::Jumanji (1995)::Adventure\n".utf8),
            "ratings.dat": Array("1::2::4::978300760\n1::1::5\n".utf8)
        ])
        defer { fixture.cleanUp() }
        #expect(
            throws: MovieLensError.malformedLine(
                file: fixture.folder.appendingPathComponent("ratings.dat").path, line: 2,
                reason: "no timestamp in the fourth field, though line 1 has one (every line needs one, or none)")
        ) {
            try MovieLens.load(from: fixture.folder)
        }
        try Data("1::2::4\n1::1::5\n".utf8).write(to: fixture.folder.appendingPathComponent("ratings.dat"))
        let untimed = try MovieLens.load(from: fixture.folder)
        #expect(untimed.ratings.count == 2 && untimed.times == nil)
        #expect(try MovieLens.synthetic(users: 30, movies: 100, count: 900).times?.count == 900)
    }

    @Test("1M: `::`-separated ratings and Latin-1 titles")
    func ml1m() throws {
        let fixture = try Fixture([
            "movies.dat": Array("1::Toy Story (1995)::Animation\n2::Jumanji (1995)::Adventure\n".utf8),
            "ratings.dat": Array("1::2::4::978300760\n1::1::5::978300761\n6::2::3::978300762\n".utf8)
        ])
        defer { fixture.cleanUp() }
        let data = try MovieLens.load(from: fixture.folder)
        #expect(data.format == .ml1m)
        #expect(data.ratings.count == 3 && data.userIDs == [1, 6])
        #expect(data.titles == ["Toy Story (1995)", "Jumanji (1995)"])
        #expect(data.times?.value(user: 0, item: 1) == 978_300_760)
        let split = try data.split(seed: 3)
        #expect(split.training.count + split.test.count == 3)
    }

    @Test("latest-small: CSV with a header, half stars, titles quoted because of commas or quotes")
    func latestSmall() throws {
        let fixture = try Fixture(text: [
            "movies.csv":
                "movieId,title,genres\n11,\"American President, The (1995)\",Comedy|Drama\n12,\"The \"\"Best\"\" (2001)\",Drama\n13,Plain (2000),Drama\n",
            "ratings.csv": "userId,movieId,rating,timestamp\n1,11,4.5,964982703\n1,13,0.5,964981247\n2,12,3.0,964982224\n"
        ])
        defer { fixture.cleanUp() }
        let data = try MovieLens.load(from: fixture.folder)
        #expect(data.format == .latestSmall && data.scale == 0.5...5)
        #expect(data.titles == ["American President, The (1995)", "The \"Best\" (2001)", "Plain (2000)"])
        #expect(data.ratings.entries.map(\.value) == [4.5, 0.5, 3])
    }

    @Test(
        "malformed lines, empty files, ratings off the scale and unknown movies name the file and line",
        arguments: [
            ("1\t1\tfive\t0\n", "u.data:1: rating `five` is not a number"),
            ("1\t1\t5\t0\n1 1 5 0\n", "u.data:2: expected user, movie and rating separated by tab, found 1 field"),
            ("x\t1\t5\t0\n", "u.data:1: user id `x` is not a whole number"),
            ("1\t1\t5\t0\n\n2\t1\t6\t0\n", "u.data:3: rating 6 is outside the scale 1 to 5"),
            ("1\t9\t5\t0\n", "u.data:1: movie 9 is not in u.item: the ratings and the titles do not match"),
            ("\n\n", "u.data is empty"),
            ("1\t1\t5\t0\n1\t1\t4\t0\n", "user 1 rated movie 1 again (first on line 1)"),
            // Two pairs rated twice: the first line in the file that repeats one is named, whatever the pairs' order.
            ("2\t2\t5\t0\n1\t1\t3\t0\n2\t2\t4\t0\n1\t1\t2\t0\n", "u.data:3: user 2 rated movie 2 again (first on line 1)")
        ])
    func errors(ratingsText: String, expected: String) throws {
        let fixture = try Fixture(text: ["u.item": "1|One (1990)|x\n2|Two (1991)|x\n", "u.data": ratingsText])
        defer { fixture.cleanUp() }
        do {
            _ = try MovieLens.load(from: fixture.folder)
            Issue.record("expected an error containing \(expected)")
        } catch let error as MovieLensError {
            #expect(error.description.contains(expected), "\(error)")
            #expect(error.description.contains(fixture.folder.path), "the message names the file: \(error)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test("a folder without data says which files it expected")
    func notFound() throws {
        let fixture = try Fixture(text: ["notes.txt": "hello"])
        defer { fixture.cleanUp() }
        #expect(throws: MovieLensError.notFound(directory: fixture.folder.path)) { try MovieLens.load(from: fixture.folder) }
    }

    @Test("synthetic data has MovieLens 100K's shape and is the same for the same seed")
    func synthetic() throws {
        let a = try MovieLens.synthetic(seed: 42), b = try MovieLens.synthetic(seed: 42)
        #expect(a.ratings.userCount == 943 && a.ratings.itemCount == 1682 && a.ratings.count == 100_000)
        #expect(a.ratings.entries == b.ratings.entries)
        #expect(a.ratings.entries.allSatisfy { (1...5).contains($0.value) && $0.value == $0.value.rounded() })
        #expect((0..<943).allSatisfy { a.ratings.ratings(ofUser: $0).count >= 20 })
        #expect(a.isSynthetic)
    }
}

@Suite("Splits")
struct SplitTests {
    @Test("a validation split carved from the training fold is disjoint from the test fold and from what is left")
    func validationDisjoint() throws {
        var data = "", base = "", test = ""
        for user in 1...12 {
            for movie in 1...10 where (user + movie) % 3 != 0 {
                let line = "\(user)\t\(movie)\t\((user * movie) % 5 + 1)\t0\n"
                data += line
                if (user * 7 + movie) % 5 == 0 { test += line } else { base += line }
            }
        }
        let fixture = try Fixture(text: [
            "u.data": data, "u1.base": base, "u1.test": test,
            "u.item": (1...10).map { "\($0)|M\($0)|x\n" }.joined()
        ])
        defer { fixture.cleanUp() }
        let movieLens = try MovieLens.load(from: fixture.folder)
        let split = try movieLens.split(fold: 1)
        var rng = RandomState(seed: 5)
        let (fit, validation) = try split.training.split(holdingOut: 0.1, rng: &rng)
        let cells = { (r: Ratings) in Set(r.entries.map { [$0.user, $0.item] }) }
        #expect(cells(validation).isDisjoint(with: cells(split.test)))
        #expect(cells(validation).isDisjoint(with: cells(fit)))
        #expect(cells(fit).union(cells(validation)) == cells(split.training))
        #expect(cells(split.training).isDisjoint(with: cells(split.test)))
    }
}
