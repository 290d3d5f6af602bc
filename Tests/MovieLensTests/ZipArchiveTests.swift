import Foundation
@testable import MovieLens
import TestSupport
import Testing

/// Zip archives written by Python's `zipfile` module, the reference these tests check the reader against, embedded
/// as base64. Each was made with the Python lines in its comment (Python 3, `T = (2024, 1, 2, 3, 4, 6)`, and
///
///     def info(name, method, mode):
///         zi = zipfile.ZipInfo(name, date_time=T); zi.compress_type = method; zi.create_system = 3
///         zi.external_attr = mode << 16; return zi
///
/// for each entry, `z.writestr(info(name, method, mode), data)` in a `zipfile.ZipFile(buffer, 'w')`).
enum ZipFixtures {
    static func bytes(_ base64: String) -> [UInt8] { Array(Data(base64Encoded: base64, options: .ignoreUnknownCharacters)!) }

    /// The text of `dynamic.txt`: `"".join(f"{i}\t{(i * i) % 97}\t{'abcdefghij'[i % 10] * (i % 7)}\n" for i in range(200))`.
    static let dynamicText = (0..<200).map { i in
        "\(i)\t\(i * i % 97)\t" + String(repeating: Array("abcdefghij")[i % 10], count: i % 7) + "\n"
    }.joined()

    /// Seven entries, one of each kind (zlib's choice of deflate block is noted; the test checks it):
    ///
    ///     folder/            stored, mode 0o40755 | 0x10    (a folder)
    ///     folder/stored.txt  stored    b'hello, stored\n'
    ///     folder/fixed.txt   deflated  b'hello, hello, hello, fixed Huffman\n'       (a fixed-Huffman block)
    ///     dynamic.txt        deflated  dynamicText                                   (a dynamic-Huffman block)
    ///     empty.txt          deflated  b''                                           (a fixed block, 2 bytes)
    ///     noise.bin          deflated  random.seed(7); bytes(random.randrange(256) for _ in range(300))  (a stored block)
    ///     noise-stored.bin   stored    the same 300 bytes
    ///
    /// All files mode 0o100644.
    static let python = bytes(
        """
        UEsDBBQAAAAAAIMYIlgAAAAAAAAAAAAAAAAHAAAAZm9sZGVyL1BLAwQUAAAAAACDGCJYY6sVjw4AAAAOAAAAEQAAAGZvbGRlci9zdG9yZWQudHh0
        aGVsbG8sIHN0b3JlZApQSwMEFAAAAAgAgxgiWPMixrsZAAAAIwAAABAAAABmb2xkZXIvZml4ZWQudHh0y0jNycnXUchAodIyK1JTFDxK09JyE/O4
        AFBLAwQUAAAACACDGCJY1CR0OqcDAAACCAAACwAAAGR5bmFtaWMudHh0TZVJYiQhDATP0msQO89p2+Ox/f8HTCTQPeZSVC8SIaWSZMk8LOzNs1V7
        f/diyz4+PrxadPvD8ma52aeWdyvd/u7lw+oyn9arffuyGfbz45Gs2OPx8AjL1d5YHkQehGZ5FBtZ8ZUiqmWyNythn066ngnuMWw1+/r68phWin2z
        PJaNRAaW52TEfOzlOawV85xtdXv3XKxWEjjZVwjAOX0tG8Bzt1UPgOdhLSmNMuVpkyDLerMfL8n4luAcbE5ReMnW6oZwjpQvg5dqc+0ykag062FO
        idj99TKMKhC8ELwLwwsJ+qbwmqzOA+E1jPhve3nNBrdz5G60AYxCAq/N5m6D125jbQinrqMdBifaOMUiEa3hxQHk+4e30F8I3rKiiIKiEXhDAHZa
        Ta+bkn+ebreuY3kbOumXt6nDE7wt8QiiJyFuBsihPgj0kdf30/JeVCJHJlTtj1Ng8klLXbUVRR8q94boUx04DJ00p+M/Tu9h8RHq35ujIepDcCDp
        siBGVeM3BMho4TCMLnk8JTskHB9TWvp2SkIviT6TFCcKVNxPJ3xm6fIwTFr+VO2skrBTRqr/6VQiS1I+B9IXA1SE2QiAw30QVtLAXNVyaGTiK2u2
        3p1OIH+CQ7fl5JynHs2CEleya9hLsWvysa/FzzR2EEiwkUKR9tilE3yPXSrKd8cuVZ3kijZS0xl5dh2b8UsHhM0U2p6+tES7OYIZH3f8eGHOn8qN
        2CXjWVRFMjHhgCiLpnwPIduu8m+giN2RQxQor70UHEw86LhHUmNJxaRTtm0ot/2AMe+rHhkHh0UkFwv0l5CDuUdWPI/S2EyJT2mY+bZbhDclSfRw
        afLXlXOU33oOOIqCMfvQk4q3Kb2x6xqRTVbO1GwwDIAQlwsPiJeuAxsQJA6ABkhV74CyK5rZ45NVY3y48IFRrrhDVvBSdxw34Dn1T1LRZYIpDXVZ
        15jxgn6NuW2ruViUvvy3ZmpCGJ5NRKTCDGbf9tyurwGGJZR2DRpX6HG1HhjDfIk9+DzL6fsxUTZF5Vce2cLYig861M9Fw55sV/TRfxt14BBLcsUd
        qBCp0NKKrX3codaj/XGugw1GhVp5ah+bQHBP7VOuoQsQl6Crunru3cNuSsObTD4RV/xYxUv7jMv4L/65rzmeRVNDKoxiO3fQA366uShhr1f7c9+g
        F4tylP7SPrXL6iSewbSQCsLt37HONQ2WPOMKn4K8dM/x46V7aqBa4RtLqpdnbAePtROI6B9QSwMEFAAAAAgAgxgiWAAAAAACAAAAAAAAAAkAAABl
        bXB0eS50eHQDAFBLAwQUAAAACACDGCJYE95XLTEBAAAsAQAACQAAAG5vaXNlLmJpbgEsAdP+pU3KGCUwux1tEyze1iN7LtkeP3IfyxlxF0SU1kk8
        nVw0YL4xIB5p/tqg7ui5mX9cfCmZ/a/lkyU81lSvTfrXFCegrrP+6SMvivIhH57kkcWxC+y1Vjv8Hm+TQn7LyP4pVeXNjkbcjtS3wnZNKlpNdncG
        +F2GkAJK1r2jQBvpyMvMyTX2zR9hImrhUziuGjQATTO6DSRqwEyBsbryPjv57vX3nytJNK+H9VILablLDZguhbtVtnKocmN6zXRm/LYODo/xhGOw
        5LK6KXA0dPBkrGj3APWwKz3GZvRb3qosyu3NK1FXQQ5N7krys09DCgc0R95jbA6AbJV7poTWQx+16tdCTQnhXQJMWEjyPR+m9zYdf2GNFTLnDiDi
        pmaN5/R+hGflRtU+yOKhJXvbUEsDBBQAAAAAAIMYIlgT3lctLAEAACwBAAAQAAAAbm9pc2Utc3RvcmVkLmJpbqVNyhglMLsdbRMs3tYjey7ZHj9y
        H8sZcRdElNZJPJ1cNGC+MSAeaf7aoO7ouZl/XHwpmf2v5ZMlPNZUr0361xQnoK6z/ukjL4ryIR+e5JHFsQvstVY7/B5vk0J+y8j+KVXlzY5G3I7U
        t8J2TSpaTXZ3BvhdhpACSta9o0Ab6cjLzMk19s0fYSJq4VM4rho0AE0zug0kasBMgbG68j47+e71958rSTSvh/VSC2m5Sw2YLoW7VbZyqHJjes10
        Zvy2Dg6P8YRjsOSyuilwNHTwZKxo9wD1sCs9xmb0W96qLMrtzStRV0EOTe5K8rNPQwoHNEfeY2wOgGyVe6aE1kMfterXQk0J4V0CTFhI8j0fpvc2
        HX9hjRUy5w4g4qZmjef0foRn5UbVPsjioSV721BLAQIUAxQAAAAAAIMYIlgAAAAAAAAAAAAAAAAHAAAAAAAAAAAAEADtQQAAAABmb2xkZXIvUEsB
        AhQDFAAAAAAAgxgiWGOrFY8OAAAADgAAABEAAAAAAAAAAAAAAKSBJQAAAGZvbGRlci9zdG9yZWQudHh0UEsBAhQDFAAAAAgAgxgiWPMixrsZAAAA
        IwAAABAAAAAAAAAAAAAAAKSBYgAAAGZvbGRlci9maXhlZC50eHRQSwECFAMUAAAACACDGCJY1CR0OqcDAAACCAAACwAAAAAAAAAAAAAApIGpAAAA
        ZHluYW1pYy50eHRQSwECFAMUAAAACACDGCJYAAAAAAIAAAAAAAAACQAAAAAAAAAAAAAApIF5BAAAZW1wdHkudHh0UEsBAhQDFAAAAAgAgxgiWBPe
        Vy0xAQAALAEAAAkAAAAAAAAAAAAAAKSBogQAAG5vaXNlLmJpblBLAQIUAxQAAAAAAIMYIlgT3lctLAEAACwBAAAQAAAAAAAAAAAAAACkgfoFAABu
        b2lzZS1zdG9yZWQuYmluUEsFBgAAAAAHAAcAlwEAAFQHAAAAAA==
        """)

    /// `../evil.txt`, stored: b'x\n'.
    static let dotDot = bytes(
        """
        UEsDBBQAAAAAAIMYIlgfCOpGAgAAAAIAAAALAAAALi4vZXZpbC50eHR4ClBLAQIUAxQAAAAAAIMYIlgfCOpGAgAAAAIAAAALAAAAAAAAAAAAAACk
        gQAAAAAuLi9ldmlsLnR4dFBLBQYAAAAAAQABADkAAAArAAAAAAA=
        """)

    /// `ml-100k/` (a folder), then `ml-100k/../../evil.txt`, stored: b'x\n'.
    static let innerDotDot = bytes(
        """
        UEsDBBQAAAAAAIMYIlgAAAAAAAAAAAAAAAAIAAAAbWwtMTAway9QSwMEFAAAAAAAgxgiWB8I6kYCAAAAAgAAABYAAABtbC0xMDBrLy4uLy4uL2V2
        aWwudHh0eApQSwECFAMUAAAAAACDGCJYAAAAAAAAAAAAAAAACAAAAAAAAAAAAAAA7UEAAAAAbWwtMTAway9QSwECFAMUAAAAAACDGCJYHwjqRgIA
        AAACAAAAFgAAAAAAAAAAAAAApIEmAAAAbWwtMTAway8uLi8uLi9ldmlsLnR4dFBLBQYAAAAAAgACAHoAAABcAAAAAAA=
        """)

    /// `/tmp/evil.txt`, stored: b'x\n'.
    static let absolute = bytes(
        """
        UEsDBBQAAAAAAIMYIlgfCOpGAgAAAAIAAAANAAAAL3RtcC9ldmlsLnR4dHgKUEsBAhQDFAAAAAAAgxgiWB8I6kYCAAAAAgAAAA0AAAAAAAAAAAAA
        AKSBAAAAAC90bXAvZXZpbC50eHRQSwUGAAAAAAEAAQA7AAAALQAAAAAA
        """)

    /// `u.data`, compressed with bzip2 (`zipfile.ZIP_BZIP2`, method 12): b'1\t1\t5\t0\n' * 20.
    static let bzip2 = bytes(
        """
        UEsDBC4AAAAMAIMYIlh6COiwMQAAAKAAAAAGAAAAdS5kYXRhQlpoOTFBWSZTWaZca3IAADvIAAAwYgAgADDNAFKh6mJhMTxMTgnxdyRThQkKZca3
        IFBLAQIuAy4AAAAMAIMYIlh6COiwMQAAAKAAAAAGAAAAAAAAAAAAAACkgQAAAAB1LmRhdGFQSwUGAAAAAAEAAQA0AAAAVQAAAAAA
        """)

    /// `link`, a symbolic link (mode 0o120777) to b'/etc/passwd'.
    static let symbolicLink = bytes(
        """
        UEsDBBQAAAAAAIMYIlgKuR8pCwAAAAsAAAAEAAAAbGluay9ldGMvcGFzc3dkUEsBAhQDFAAAAAAAgxgiWAq5HykLAAAACwAAAAQAAAAAAAAAAAAA
        AP+hAAAAAGxpbmtQSwUGAAAAAAEAAQAyAAAALQAAAAAA
        """)

    /// `a.txt` twice, stored: b'1\n', then b'2\n'.
    static let duplicate = bytes(
        """
        UEsDBBQAAAAAAIMYIlhT/FFnAgAAAAIAAAAFAAAAYS50eHQxClBLAwQUAAAAAACDGCJYkK98TAIAAAACAAAABQAAAGEudHh0MgpQSwECFAMUAAAA
        AACDGCJYU/xRZwIAAAACAAAABQAAAAAAAAAAAAAApIEAAAAAYS50eHRQSwECFAMUAAAAAACDGCJYkK98TAIAAAACAAAABQAAAAAAAAAAAAAApIEl
        AAAAYS50eHRQSwUGAAAAAAIAAgBmAAAASgAAAAAA
        """)

    /// The little-endian number of `width` bytes at `offset` in `archive`.
    static func number(_ archive: [UInt8], at offset: Int, width: Int) -> Int {
        (0..<width).reduce(0) { $0 | Int(archive[offset + $1]) << (8 * $1) }
    }

    /// The offset of the central directory header of `name` in `archive`, found by its signature and name alone.
    static func centralHeader(of name: String, in archive: [UInt8]) -> Int {
        let signature: [UInt8] = [0x50, 0x4B, 0x01, 0x02], nameBytes = Array(name.utf8)
        return (0..<archive.count - 46 - nameBytes.count).first { offset in
            Array(archive[offset..<offset + 4]) == signature && number(archive, at: offset + 28, width: 2) == nameBytes.count
                && Array(archive[offset + 46..<offset + 46 + nameBytes.count]) == nameBytes
        }!
    }

    /// The offset of the data of `name` in `archive`: after its local header, its name and its extra field.
    static func dataOffset(of name: String, in archive: [UInt8]) -> Int {
        let local = number(archive, at: centralHeader(of: name, in: archive) + 42, width: 4)
        return local + 30 + number(archive, at: local + 26, width: 2) + number(archive, at: local + 28, width: 2)
    }
}

/// The `ZipError` that `body` throws, or nil when it throws nothing (any other error is an issue).
func zipError(_ body: () throws -> Void) -> ZipError? {
    do {
        try body()
    } catch let error as ZipError {
        return error
    } catch {
        Issue.record("not a ZipError: \(error)")
    }
    return nil
}

@Suite("Reading zip archives: ZipArchive and inflate, against archives made by Python's zipfile")
struct ZipArchiveTests {
    @Test("Python's archive lists its seven entries, with their methods and kinds of deflate block")
    func listing() throws {
        let archive = try ZipArchive(bytes: ZipFixtures.python)
        #expect(
            archive.entries.map(\.name) == [
                "folder/", "folder/stored.txt", "folder/fixed.txt", "dynamic.txt", "empty.txt",
                "noise.bin", "noise-stored.bin"
            ])
        #expect(archive.entries.map(\.method) == [0, 0, 8, 8, 8, 8, 0])
        #expect(archive.entries.map(\.isDirectory) == [true, false, false, false, false, false, false])
        #expect(archive.entries.map(\.size) == [0, 14, 35, 2050, 0, 300, 300])
        // Bits 1-2 of a deflate stream's first byte are its first block's type: fixed (1), dynamic (2), stored (0).
        let deflated = archive.entries.filter { $0.method == 8 }
        #expect(deflated.map { (ZipFixtures.python[$0.dataRange.lowerBound] >> 1) & 3 } == [1, 2, 1, 0])
    }

    @Test("each entry unpacks to the bytes Python wrote: stored, fixed and dynamic Huffman, stored blocks, empty")
    func contents() throws {
        let archive = try ZipArchive(bytes: ZipFixtures.python)
        let unpacked = try Dictionary(
            uniqueKeysWithValues: archive.entries.map { entry throws(ZipError) in
                (entry.name, try archive.contents(of: entry))
            })
        #expect(unpacked["folder/"] == [])
        #expect(unpacked["folder/stored.txt"] == Array("hello, stored\n".utf8))
        #expect(unpacked["folder/fixed.txt"] == Array("hello, hello, hello, fixed Huffman\n".utf8))
        #expect(unpacked["dynamic.txt"] == Array(ZipFixtures.dynamicText.utf8))
        #expect(unpacked["empty.txt"] == [])
        #expect(unpacked["noise.bin"]?.count == 300)
        #expect(unpacked["noise.bin"] == unpacked["noise-stored.bin"])
    }

    @Test("extraction writes the folders and files, byte for byte")
    func extraction() throws {
        let folder = try temporaryFolder("cf-zip")
        defer { try? FileManager.default.removeItem(at: folder) }
        try ZipArchive(bytes: ZipFixtures.python).extract(to: folder)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
                == ["dynamic.txt", "empty.txt", "folder", "noise-stored.bin", "noise.bin"])
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("folder").path).sorted()
                == ["fixed.txt", "stored.txt"])
        func read(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: folder.appendingPathComponent(path))) }
        #expect(try read("folder/stored.txt") == Array("hello, stored\n".utf8))
        #expect(try read("folder/fixed.txt") == Array("hello, hello, hello, fixed Huffman\n".utf8))
        #expect(try read("dynamic.txt") == Array(ZipFixtures.dynamicText.utf8))
        #expect(try read("empty.txt") == [])
        #expect(try read("noise.bin") == read("noise-stored.bin"))
    }

    @Test("a name is UTF-8, or code page 437 when it is not valid UTF-8 and not marked as UTF-8")
    func names() throws {
        // 0x82 alone is not UTF-8; in code page 437 it is "é". Patched into the central directory's copy of the name.
        var latin = ZipFixtures.python
        let header = ZipFixtures.centralHeader(of: "empty.txt", in: latin)
        latin[header + 46] = 0x82
        #expect(try ZipArchive(bytes: latin).entries.map(\.name).contains("\u{E9}mpty.txt"))
        // The same name marked as UTF-8 (flag bit 11) is an error, not a guess.
        latin[header + 9] |= 0x08
        #expect(zipError { _ = try ZipArchive(bytes: latin) } == .malformed("an entry name is marked as UTF-8 but is not"))
    }

    @Test("CRC-32 gives the standard check value, and the one Python's zlib.crc32 gives")
    func crc() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum(Array("hello, stored\n".utf8)) == 0x8F15_AB63)
        #expect(CRC32.checksum([]) == 0)
    }

    @Test("a truncated archive is not a zip: every prefix of one, and one whose central directory lies past its end")
    func truncated() throws {
        let python = ZipFixtures.python
        for length in 0..<python.count {
            #expect(zipError { _ = try ZipArchive(bytes: Array(python.prefix(length))) } == .notAZip, "\(length) bytes")
        }
        #expect(zipError { _ = try ZipArchive(bytes: Array("not a zip archive at all, just some text".utf8)) } == .notAZip)
        // The end record (the last 22 bytes) says where the central directory starts (its bytes 16-19).
        var moved = python
        moved[python.count - 22 + 17] &+= 0x10
        guard case .truncated = zipError({ _ = try ZipArchive(bytes: moved) }) else {
            Issue.record("a central directory past the end should be .truncated")
            return
        }
        // An entry whose packed size runs past the central directory.
        var long = python
        long[ZipFixtures.centralHeader(of: "dynamic.txt", in: python) + 21] &+= 0x10
        #expect(zipError { _ = try ZipArchive(bytes: long) }.map { "\($0)" }?.contains("the data of dynamic.txt") == true)
    }

    @Test("a byte changed in an entry's data fails its CRC-32, with the CRC Python's zlib gives the changed bytes")
    func badChecksum() throws {
        var changed = ZipFixtures.python
        let start = ZipFixtures.dataOffset(of: "folder/stored.txt", in: changed)
        #expect(changed[start] == UInt8(ascii: "h"))
        changed[start] = UInt8(ascii: "j")
        let archive = try ZipArchive(bytes: changed)
        let entry = try #require(archive.entries.first { $0.name == "folder/stored.txt" })
        // zlib.crc32(b'jello, stored\n') == 0x6e7b6fce; the archive declares zlib.crc32(b'hello, stored\n') == 0x8f15ab63.
        let expected = ZipError.checksumMismatch(entry: "folder/stored.txt", declared: 0x8F15_AB63, actual: 0x6E7B_6FCE)
        #expect(zipError { _ = try archive.contents(of: entry) } == expected)
        let folder = try temporaryFolder("cf-zip")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(zipError { try archive.extract(to: folder) } == expected)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("folder/stored.txt").path))
    }

    @Test("names that leave the destination (.., an absolute path) are refused before anything is written")
    func unsafeNames() throws {
        for (archive, name) in [
            (ZipFixtures.dotDot, "../evil.txt"), (ZipFixtures.innerDotDot, "ml-100k/../../evil.txt"),
            (ZipFixtures.absolute, "/tmp/evil.txt")
        ] {
            let parent = try temporaryFolder("cf-zip")
            defer { try? FileManager.default.removeItem(at: parent) }
            let folder = parent.appendingPathComponent("inside")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            #expect(zipError { try ZipArchive(bytes: archive).extract(to: folder) } == .unsafeName(name))
            #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["inside"])
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [])
        }
    }

    @Test("the reasons of unsafe names: outside the destination, or no file name at all")
    func unsafeNameReasons() throws {
        for name in ["../evil.txt", "/tmp/evil.txt", "a/../../b", ".."] {
            #expect(ZipError.unsafeName(name).description == "the entry name `\(name)` would be written outside the destination folder")
        }
        for name in ["", ".", "./", "./."] { #expect(ZipError.unsafeName(name).description == "an entry has no file name (`\(name)`)") }
        let entry = { (name: String) in ZipArchive.Entry(name: name, method: 0, crc32: 0, size: 0, headerOffset: 0, dataRange: 0..<0) }
        #expect(zipError { _ = try ZipArchive.relativePath(of: entry("./")) } == nil)
        #expect(zipError { _ = try ZipArchive.relativePath(of: entry(".")) } == .unsafeName("."))
        #expect(zipError { _ = try ZipArchive.relativePath(of: entry("a/./b/../c")) } == .unsafeName("a/./b/../c"))
        #expect(try ZipArchive.relativePath(of: entry("./a//b/./c.txt")) == ["a", "b", "c.txt"])
    }

    @Test("an unsupported method (bzip2, 12), a symbolic link and a name given twice are refused by name")
    func unsupported() throws {
        #expect(zipError { _ = try ZipArchive(bytes: ZipFixtures.bzip2) } == .unsupportedMethod(entry: "u.data", method: 12))
        #expect(zipError { _ = try ZipArchive(bytes: ZipFixtures.symbolicLink) } == .symbolicLink(entry: "link"))
        let folder = try temporaryFolder("cf-zip")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(zipError { try ZipArchive(bytes: ZipFixtures.duplicate).extract(to: folder) } == .duplicateName("a.txt"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [])
    }

    @Test("encryption and zip64 are refused, each with its own error")
    func encryptedAndZip64() {
        var encrypted = ZipFixtures.python
        encrypted[ZipFixtures.centralHeader(of: "dynamic.txt", in: encrypted) + 8] |= 1
        #expect(zipError { _ = try ZipArchive(bytes: encrypted) } == .encrypted(entry: "dynamic.txt"))
        // A zip64 archive has 0xFFFF for its entry counts in the end record (bytes 8-11).
        var zip64 = ZipFixtures.python
        for offset in 8..<12 { zip64[zip64.count - 22 + offset] = 0xFF }
        #expect(zipError { _ = try ZipArchive(bytes: zip64) } == .zip64)
    }

    @Test("a damaged deflate stream or a wrong declared size is an error naming the entry")
    func damagedData() throws {
        let python = ZipFixtures.python
        var blockType3 = python
        blockType3[ZipFixtures.dataOffset(of: "dynamic.txt", in: python)] |= 0b110
        let archive = try ZipArchive(bytes: blockType3)
        let dynamic = try #require(archive.entries.first { $0.name == "dynamic.txt" })
        #expect(
            zipError { _ = try archive.contents(of: dynamic) }
                == .corruptData(entry: "dynamic.txt", reason: "a block of type 3, which deflate does not have"))
        // folder/fixed.txt unpacks to 35 bytes; its declared size is bytes 24-27 of its central directory header.
        for (declared, error) in [
            (34, ZipError.corruptData(entry: "folder/fixed.txt", reason: "it unpacks to more than the 34 bytes the archive declares")),
            (36, .sizeMismatch(entry: "folder/fixed.txt", declared: 36, actual: 35))
        ] {
            var resized = python
            resized[ZipFixtures.centralHeader(of: "folder/fixed.txt", in: python) + 24] = UInt8(declared)
            let archive = try ZipArchive(bytes: resized)
            let entry = try #require(archive.entries.first { $0.name == "folder/fixed.txt" })
            #expect(zipError { _ = try archive.contents(of: entry) } == error)
        }
    }

    @Test("inflate on hand-made streams: an overlapping copy, a copy from before the start, bad blocks, no bytes")
    func inflateStreams() {
        func run(_ stream: [UInt8], size: Int) -> Result<[UInt8], InflateError> {
            Result { () throws(InflateError) in try stream.withUnsafeBufferPointer { input throws(InflateError) in try inflate(input, size: size) } }
        }
        // A fixed block: the literal "a", then a copy of length 3 from distance 1 (zlib.decompress gives b'aaaa').
        #expect(run([75, 4, 2, 0], size: 4) == .success(Array("aaaa".utf8)))
        // The same with distance 2, before the start (zlib: "invalid distance too far back").
        #expect(run([75, 4, 66, 0], size: 4) == .failure(.corrupt("a copy from before the start of the data")))
        #expect(run([75, 4, 2, 0], size: 3) == .failure(.tooLong(declared: 3)))
        #expect(run([75, 4, 2, 0], size: 5) == .failure(.tooShort(declared: 5, actual: 4)))
        #expect(run([0x07], size: 0) == .failure(.corrupt("a block of type 3, which deflate does not have")))
        #expect(run([0x01, 0x05, 0x00, 0x00, 0x00], size: 5) == .failure(.corrupt("a stored block whose length does not match its check")))
        #expect(run([0x01, 0x05, 0x00, 0xFA, 0xFF, 0x41], size: 5) == .failure(.truncated))
        #expect(run([], size: 0) == .failure(.truncated))
        #expect(run([0x03, 0x00], size: 0) == .success([]))
    }

    @Test("thousands of randomly damaged archives and streams give errors or data, never a crash")
    func fuzz() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int(truncatingIfNeeded: (z ^ (z >> 31)) >> 1)
        }
        let python = ZipFixtures.python
        var opened = 0
        for _ in 0..<3000 {
            var damaged = python
            for _ in 0...(next() % 4) { damaged[next() % damaged.count] = UInt8(truncatingIfNeeded: next()) }
            guard let archive = try? ZipArchive(bytes: damaged) else { continue }
            opened += 1
            for entry in archive.entries { _ = try? archive.contents(of: entry) }
        }
        #expect(opened > 0)
        for _ in 0..<3000 {
            let stream = (0..<(next() % 200)).map { _ in UInt8(truncatingIfNeeded: next()) }
            _ = try? stream.withUnsafeBufferPointer { input throws(InflateError) in try inflate(input, size: next() % 1000) }
        }
    }
}
