import Crypto
import Foundation
import MovieLens
import Testing
import ZIPFoundation

@Suite("Downloading MovieLens")
struct DownloadTests {
    /// A zip archive of an `ml-100k/` folder with tiny u.data and u.item, and its MD5 and size.
    func makeArchive(in folder: URL) throws -> (url: URL, md5: String, size: Int) {
        let source = folder.appendingPathComponent("source/ml-100k")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        try Data("1\t1\t5\t0\n2\t1\t3\t0\n".utf8).write(to: source.appendingPathComponent("u.data"))
        try Data("1|One (1990)|x\n".utf8).write(to: source.appendingPathComponent("u.item"))
        let zip = folder.appendingPathComponent("ml-100k.zip")
        try FileManager.default.zipItem(at: source, to: zip)
        let data = try Data(contentsOf: zip)
        return (zip, Insecure.MD5.hash(data: data).map { String(format: "%02x", $0) }.joined(), data.count)
    }

    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cf-dl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("a good archive is verified, unpacked and moved into place; no temporary files remain")
    func goodArchive() throws {
        let folder = try temporaryFolder()
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
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let archive = try makeArchive(in: folder)
        let corrupt = folder.appendingPathComponent("corrupt.zip")
        let junk = Data((0..<2000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        try junk.write(to: corrupt)
        let junkMD5 = Insecure.MD5.hash(data: junk).map { String(format: "%02x", $0) }.joined()
        let cases: [(DataLocation.Archive, String)] = [
            (.init(url: archive.url, size: archive.size, md5: "0e33842e24a9c977be4e0107933c0723", folder: "ml-100k"), "MD5"),
            (.init(url: archive.url, size: 4_924_029, md5: archive.md5, folder: "ml-100k"), "expected 4924029"),
            (.init(url: corrupt, size: junk.count, md5: junkMD5, folder: "ml-100k"), "could not be unzipped"),
            (.init(url: folder.appendingPathComponent("nowhere.zip"), size: nil, md5: archive.md5, folder: "ml-100k"), "cannot read"),
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
        let folder = try temporaryFolder()
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
