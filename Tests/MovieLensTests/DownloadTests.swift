import Crypto
import Foundation
import MovieLens
import TestSupport
import Testing

@Suite("Downloading MovieLens")
struct DownloadTests {
    /// A zip archive of an `ml-100k/` folder with tiny u.data and u.item, as Python's zipfile writes it (see
    /// ZipFixtures): `ml-100k/` (a folder), then, deflated, `ml-100k/u.data` b'1\t1\t5\t0\n2\t1\t3\t0\n' and
    /// `ml-100k/u.item` b'1|One (1990)|x\n'.
    static let tinyArchive = Data(
        base64Encoded: """
            UEsDBBQAAAAAAIMYIlgAAAAAAAAAAAAAAAAIAAAAbWwtMTAway9QSwMEFAAAAAgAgxgiWNJEdTwPAAAAEAAAAA4AAABtbC0xMDBrL3UuZGF0YTPk
            NOQ05TTgMgLSxkAaAFBLAwQUAAAACACDGCJYzo9WHxEAAAAPAAAADgAAAG1sLTEwMGsvdS5pdGVtM6zxz0tV0DC0tDTQrKngAgBQSwECFAMUAAAA
            AACDGCJYAAAAAAAAAAAAAAAACAAAAAAAAAAAAAAA7UEAAAAAbWwtMTAway9QSwECFAMUAAAACACDGCJY0kR1PA8AAAAQAAAADgAAAAAAAAAAAAAA
            pIEmAAAAbWwtMTAway91LmRhdGFQSwECFAMUAAAACACDGCJYzo9WHxEAAAAPAAAADgAAAAAAAAAAAAAApIFhAAAAbWwtMTAway91Lml0ZW1QSwUG
            AAAAAAMAAwCuAAAAngAAAAAA
            """, options: .ignoreUnknownCharacters)!

    /// `../evil.txt`, stored (ZipFixtures.dotDot): an archive whose entry would land outside the folder it unpacks to.
    static let escapingArchive = Data(
        base64Encoded: """
            UEsDBBQAAAAAAIMYIlgfCOpGAgAAAAIAAAALAAAALi4vZXZpbC50eHR4ClBLAQIUAxQAAAAAAIMYIlgfCOpGAgAAAAIAAAALAAAAAAAAAAAAAACk
            gQAAAAAuLi9ldmlsLnR4dFBLBQYAAAAAAQABADkAAAArAAAAAAA=
            """, options: .ignoreUnknownCharacters)!

    /// `data` written to `folder/name`, with its MD5 and size.
    func write(_ data: Data, named name: String, in folder: URL) throws -> (url: URL, md5: String, size: Int) {
        let url = folder.appendingPathComponent(name)
        try data.write(to: url)
        return (url, Insecure.MD5.hash(data: data).map { String(format: "%02x", $0) }.joined(), data.count)
    }

    /// The tiny `ml-100k` archive in `folder`, and its MD5 and size.
    func makeArchive(in folder: URL) throws -> (url: URL, md5: String, size: Int) {
        try write(Self.tinyArchive, named: "ml-100k.zip", in: folder)
    }

    @Test("a good archive is verified, unpacked and moved into place; no temporary files remain")
    func goodArchive() throws {
        let folder = try temporaryFolder("cf-dl")
        defer { try? FileManager.default.removeItem(at: folder) }
        let archive = try makeArchive(in: folder)
        let cache = folder.appendingPathComponent("cache")
        let unpacked = try DataLocation.download(.init(url: archive.url, size: archive.size, md5: archive.md5, folder: "ml-100k"), into: cache)
        #expect(unpacked.path == cache.appendingPathComponent("ml-100k").path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path) == ["ml-100k"])
        #expect(try MovieLens.load(from: unpacked).ratings.count == 2)
        #expect(DataLocation.dataSetFolder(in: cache)?.path == unpacked.path)
    }

    @Test("a mismatched digest or size, a corrupt archive, or a missing file leave nothing behind")
    func failures() throws {
        let folder = try temporaryFolder("cf-dl")
        defer { try? FileManager.default.removeItem(at: folder) }
        let archive = try makeArchive(in: folder)
        let corrupt = folder.appendingPathComponent("corrupt.zip")
        let junk = Data((0..<2000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        try junk.write(to: corrupt)
        let junkMD5 = Insecure.MD5.hash(data: junk).map { String(format: "%02x", $0) }.joined()
        let escaping = try write(Self.escapingArchive, named: "escaping.zip", in: folder)
        let cases: [(DataLocation.Archive, String)] = [
            (.init(url: archive.url, size: archive.size, md5: "0e33842e24a9c977be4e0107933c0723", folder: "ml-100k"), "MD5"),
            (.init(url: archive.url, size: 4_924_029, md5: archive.md5, folder: "ml-100k"), "expected 4924029"),
            (.init(url: corrupt, size: junk.count, md5: junkMD5, folder: "ml-100k"), "could not be unzipped (not a zip archive"),
            (
                .init(url: escaping.url, size: escaping.size, md5: escaping.md5, folder: "ml-100k"),
                "could not be unzipped (the entry name `../evil.txt` would be written outside the destination folder)"
            ),
            (.init(url: folder.appendingPathComponent("nowhere.zip"), size: nil, md5: archive.md5, folder: "ml-100k"), "cannot read")
        ]
        for (bad, expected) in cases {
            let cache = folder.appendingPathComponent("cache-\(UUID().uuidString)")
            do {
                _ = try DataLocation.download(bad, into: cache)
                Issue.record("expected a failure mentioning \(expected)")
            } catch let error as MovieLensError {
                #expect(error.description.contains(expected), "\(error)")
                #expect(!error.description.contains("\n"))
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).isEmpty, "left behind in \(cache.path)")
        }
    }

    @Test("an unreachable server is a one-line error, quickly")
    func unreachable() throws {
        let folder = try temporaryFolder("cf-dl")
        defer { try? FileManager.default.removeItem(at: folder) }
        // Port 9 on loopback: nothing listens there, so the connection is refused at once.
        let archive = DataLocation.Archive(url: URL(string: "http://127.0.0.1:9/ml-100k.zip")!, size: nil, md5: "x", folder: "ml-100k")
        #expect(throws: MovieLensError.self) { try DataLocation.download(archive, into: folder) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test("where it looks: --data, then CF_DATA_DIR, then the cache folder")
    func location() {
        #expect(DataLocation.folder(explicit: "/a/b", environment: ["CF_DATA_DIR": "/c"]).path == "/a/b")
        #expect(DataLocation.folder(explicit: nil, environment: ["CF_DATA_DIR": "/c"]).path == "/c")
        #expect(DataLocation.folder(explicit: nil, environment: ["XDG_CACHE_HOME": "/x"]).path == "/x/cf-lessons")
        #expect(DataLocation.folder(explicit: nil, environment: ["HOME": "/h"]).path.hasPrefix("/h/"))
    }
}
