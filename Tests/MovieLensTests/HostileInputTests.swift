import CFCore
import Foundation
@testable import MovieLens
import TestSupport
import Testing

/// The faults of issue 22 that live in the MovieLens module: each test failed before its fix.
@Suite("odd and hostile input to the MovieLens readers (issue 22)")
struct HostileInputTests {
    func hundredK(data: String, items: String = "1|One (1990)|x\n2|Two (1991)|x\n") throws -> Fixture {
        try Fixture(text: ["u.data": data, "u.item": items])
    }

    @Test("a rating is a plain decimal: 0x1p2, 4e0 and inf are not read as numbers (item 17)")
    func plainDecimals() throws {
        for text in ["0x1p2", "4e0", "inf", "nan", "+4", ".5x", "4..5"] {
            let fixture = try hundredK(data: "1\t1\t4\t0\n1\t2\t\(text)\t0\n")
            defer { fixture.cleanUp() }
            #expect(
                throws: MovieLensError.malformedLine(
                    file: fixture.folder.appendingPathComponent("u.data").path, line: 2,
                    reason: "rating `\(text)` is not a number"), "\(text)"
            ) {
                try MovieLens.load(from: fixture.folder)
            }
        }
        #expect(decimal(ArraySlice("3.5".utf8)) == 3.5 && decimal(ArraySlice("4".utf8)) == 4 && decimal(ArraySlice(".5".utf8)) == 0.5)
    }

    @Test("ratings between the scale's steps are refused, in data files and --my-ratings alike (item 17)")
    func scaleSteps() throws {
        let whole = try hundredK(data: "1\t1\t4\t0\n1\t2\t3.5\t0\n")
        defer { whole.cleanUp() }
        #expect(
            throws: MovieLensError.malformedLine(
                file: whole.folder.appendingPathComponent("u.data").path, line: 2,
                reason: "rating 3.5 is between the steps of the scale, which has whole stars from 1 to 5")
        ) {
            try MovieLens.load(from: whole.folder)
        }
        let half = try Fixture(text: [
            "movies.csv": "movieId,title,genres\n1,One (1990),Drama\n2,Two (1991),Drama\n",
            "ratings.csv": "userId,movieId,rating,timestamp\n1,1,3.5,0\n1,2,3.25,0\n"
        ])
        defer { half.cleanUp() }
        #expect(
            throws: MovieLensError.malformedLine(
                file: half.folder.appendingPathComponent("ratings.csv").path, line: 3,
                reason: "rating 3.25 is between the steps of the scale, which has half stars from 0.5 to 5")
        ) {
            try MovieLens.load(from: half.folder)
        }
        try Data("1,1,3.5,0\n".utf8).write(to: half.folder.appendingPathComponent("ratings.csv"))
        let movieLens = try MovieLens.load(from: half.folder)
        let mine = half.folder.appendingPathComponent("mine.txt")
        try Data("1, 4.5\n2, 3.7\n".utf8).write(to: mine)
        #expect(
            throws: MovieLensError.malformedLine(
                file: mine.path, line: 2,
                reason: "rating 3.7 is between the steps of MovieLens latest-small's scale, which has half stars from 0.5 to 5")
        ) {
            try movieLens.newUserRatings(fromFile: mine.path)
        }
    }

    @Test("titles read right whatever the encoding: a UTF-8 u.item and a Latin-1 movies.csv (item 17)")
    func encodings() throws {
        // "Véronique" in UTF-8 (C3 A9) in u.item, which MovieLens ships in Latin-1; "Amélie" in Latin-1 (E9) in a CSV.
        let utf8 = try Fixture(["u.data": Array("1\t1\t4\t0\n".utf8), "u.item": Array("1|La double vie de Véronique (1991)|x\n".utf8)])
        defer { utf8.cleanUp() }
        #expect(try MovieLens.load(from: utf8.folder).titles == ["La double vie de Véronique (1991)"])
        let latin1 = try Fixture([
            "ratings.csv": Array("userId,movieId,rating,timestamp\n1,1,4.0,0\n".utf8),
            "movies.csv": Array("movieId,title,genres\n1,Am".utf8) + [0xE9] + Array("lie (2001),Comedy\n".utf8)
        ])
        defer { latin1.cleanUp() }
        #expect(try MovieLens.load(from: latin1.folder).titles == ["Amélie (2001)"])
    }

    @Test("a device, a pipe or /dev/stdin as a data or ratings file is named as such, never \"permission denied\" (item 13)")
    func notRegularFiles() throws {
        let fixture = try hundredK(data: "1\t1\t4\t0\n")
        defer { fixture.cleanUp() }
        let movieLens = try MovieLens.load(from: fixture.folder)
        let fifo = fixture.folder.appendingPathComponent("fifo")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        for path in ["/dev/null", fifo.path] {
            #expect(throws: MovieLensError.unreadable(file: path, reason: "it is not a regular file (a device, a pipe or a socket); give a file")) {
                try movieLens.newUserRatings(fromFile: path)
            }
        }
        // The ratings file itself replaced by a pipe: refused at once rather than waiting for a writer.
        try FileManager.default.removeItem(at: fixture.folder.appendingPathComponent("u.data"))
        #expect(mkfifo(fixture.folder.appendingPathComponent("u.data").path, 0o600) == 0)
        #expect(
            throws: MovieLensError.unreadable(
                file: fixture.folder.appendingPathComponent("u.data").path,
                reason: "it is not a regular file (a device, a pipe or a socket); give a file")
        ) {
            try MovieLens.load(from: fixture.folder)
        }
    }

    @Test("a bad line is quoted in at most 60 characters, however long it is (item 14)")
    func longLines() throws {
        let fixture = try hundredK(data: "1\t1\t4\t0\n")
        defer { fixture.cleanUp() }
        let movieLens = try MovieLens.load(from: fixture.folder)
        let mine = fixture.folder.appendingPathComponent("mine.txt")
        try Data(("1," + String(repeating: "9x", count: 5_000_000) + "\n").utf8).write(to: mine)
        do {
            _ = try movieLens.newUserRatings(fromFile: mine.path)
            Issue.record("a 10 MB line was accepted")
        } catch {
            #expect("\(error)".count < 200, "the message is \("\(error)".count) characters long")
            #expect("\(error)".hasSuffix("9x9x…`"), "\(error)")
        }
        let wide = try hundredK(data: "1\t" + String(repeating: "7", count: 1_000_000) + "\t4\t0\n")
        defer { wide.cleanUp() }
        do {
            _ = try MovieLens.load(from: wide.folder)
            Issue.record("a million-digit movie id was accepted")
        } catch {
            #expect("\(error)".count < 200, "the message is \("\(error)".count) characters long")
        }
    }

    @Test("a partial download is removed on the next run once its process is gone; a live one is kept (item 8)")
    func abandonedDownloads() throws {
        let fixture = try Fixture(text: ["keep.txt": "mine"])
        defer { fixture.cleanUp() }
        try FileManager.default.createDirectory(at: fixture.folder.appendingPathComponent(".download-2147483646-AB12"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: fixture.folder.appendingPathComponent(".download-\(getpid())-CD34"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: fixture.folder.appendingPathComponent(".download-6F9619FF-8B86-D011"), withIntermediateDirectories: true)
        DataLocation.removeAbandonedDownloads(in: fixture.folder)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: fixture.folder.path)) == [".download-\(getpid())-CD34", "keep.txt"])
    }

    @Test("network errors in plain words: a stalled server says how long it was given (item 13)")
    func networkWords() {
        #expect(DownloadDelegate.plainWords(URLError(.timedOut)) == "the server did not answer within 30 s")
        #expect(!DownloadDelegate.plainWords(URLError(.cannotConnectToHost)).contains("NSURLErrorDomain"))
    }

    @Test("an empty HOME is unset, so the cache is never in the current folder (item 11)")
    func emptyHome() {
        let folder = DataLocation.cacheFolder(environment: ["HOME": ""])
        #expect(folder.path == DataLocation.accountHome() + "/.cache/cf-lessons" && folder.path.hasPrefix("/"), "\(folder.path)")
        #expect(DataLocation.cacheFolder(environment: ["HOME": "/home/someone"]).path == "/home/someone/.cache/cf-lessons")
    }

    @Test("a fold that was asked for and is missing is an error naming the file; half a fold is never replaced by a random split (item 4)")
    func folds() throws {
        let fixture = try Fixture(text: ["u.data": "1\t1\t4\t0\n1\t2\t5\t0\n2\t1\t3\t0\n", "u.item": "1|One (1990)|x\n2|Two (1991)|x\n"])
        defer { fixture.cleanUp() }
        let none = try MovieLens.load(from: fixture.folder)
        #expect(throws: MovieLensError.missingFile(fixture.folder.appendingPathComponent("u3.base").path)) { try none.split(fold: 3) }
        let plain = try none.split(seed: 1)
        #expect(!plain.isOfficialFold && plain.name == "the test split" && !plain.description.contains("u1"))
        try Data("1\t1\t4\t0\n".utf8).write(to: fixture.folder.appendingPathComponent("u1.test"))
        let half = try MovieLens.load(from: fixture.folder)
        #expect(throws: MovieLensError.missingFile(fixture.folder.appendingPathComponent("u1.base").path)) { try half.split(seed: 1) }
    }
}
