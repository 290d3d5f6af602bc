import Foundation
import TextOutput

// A zip reader, enough for the archives data sets are published in (PKWARE's APPNOTE.TXT, the parts every zip tool
// writes): entries stored (method 0) or deflated (method 8), in one file of at most 4 GiB.
//
// A zip archive ends with an end-of-central-directory record that says where the central directory is; the central
// directory has one header per entry: its name, method, CRC-32, sizes and where its local header is. Each local
// header is followed by the entry's data. The central directory is what is trusted (the local header's sizes may be
// zero, with the real ones in a data descriptor after the data); the local header is read only for the length of its
// name and extra field, to find where the data starts.
//
// Not supported, and refused with a `ZipError` that says so: zip64 (archives over 4 GiB or 65,535 entries),
// archives split over several files, encryption, other compression methods, and symbolic links. Every read is
// bounds-checked: a hostile or damaged archive is an error, never a crash nor a read outside the archive.

/// Why a zip archive could not be read or extracted: one line each, naming the entry when there is one.
enum ZipError: Error, Equatable, CustomStringConvertible {
    /// The bytes have no end-of-central-directory record: not a zip archive, or one cut short.
    case notAZip
    /// A record or an entry's data lies (partly) outside the archive: it is cut short or damaged; the text says what.
    case truncated(String)
    /// A record is not what the format says it must be (a wrong signature, entries that overlap); the text says which.
    case malformed(String)
    /// The archive uses zip64 records, for archives over 4 GiB or with over 65,535 entries.
    case zip64
    /// The archive is one part of an archive split over several files.
    case multipleDisks
    /// An entry is encrypted.
    case encrypted(entry: String)
    /// An entry is compressed with a method other than stored (0) or deflated (8).
    case unsupportedMethod(entry: String, method: Int)
    /// An entry is a symbolic link, which is not extracted (it could point outside the destination).
    case symbolicLink(entry: String)
    /// An entry's compressed data is not a valid deflate stream; the text says how.
    case corruptData(entry: String, reason: String)
    /// An entry unpacks to a size other than the one the archive declares for it.
    case sizeMismatch(entry: String, declared: Int, actual: Int)
    /// An entry unpacks to bytes whose CRC-32 is not the one the archive declares for it.
    case checksumMismatch(entry: String, declared: UInt32, actual: UInt32)
    /// An entry's name would put it outside the destination folder (an absolute path, a `..`), or is empty.
    case unsafeName(String)
    /// Two entries name the same file.
    case duplicateName(String)
    /// A file or folder of the archive could not be written; the reason is in plain words.
    case cannotWrite(path: String, reason: String)

    var description: String {
        switch self {
        case .notAZip:
            return "not a zip archive, or one cut short: it has no end-of-central-directory record"
        case let .truncated(what):
            return "the archive is cut short or damaged: \(what)"
        case let .malformed(what):
            return "the archive is damaged: \(what)"
        case .zip64:
            return "the archive is in the zip64 format (over 4 GiB or 65,535 entries), which is not supported"
        case .multipleDisks:
            return "the archive is split over several files, which is not supported"
        case let .encrypted(entry):
            return "\(entry) is encrypted, which is not supported"
        case let .unsupportedMethod(entry, method):
            return "\(entry) is compressed with method \(method); only stored (0) and deflated (8) entries are supported"
        case let .symbolicLink(entry):
            return "\(entry) is a symbolic link, which is not extracted"
        case let .corruptData(entry, reason):
            return "\(entry) is damaged: \(reason)"
        case let .sizeMismatch(entry, declared, actual):
            return "\(entry) unpacks to \(actual) bytes, but the archive declares \(declared)"
        case let .checksumMismatch(entry, declared, actual):
            return "\(entry) is damaged: its CRC-32 is \(hex(actual)), but the archive declares \(hex(declared))"
        case let .unsafeName(name):
            if !name.hasPrefix("/") && name.split(separator: "/").allSatisfy({ $0 == "." }) { return "an entry has no file name (`\(name)`)" }
            return "the entry name `\(name)` would be written outside the destination folder"
        case let .duplicateName(name):
            return "the archive holds \(name) twice"
        case let .cannotWrite(path, reason):
            return "cannot write \(path): \(reason)"
        }
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}

/// A zip archive held in memory: its entries as the central directory lists them, their contents, their extraction.
struct ZipArchive {
    /// One entry of the central directory.
    struct Entry: Equatable {
        /// Its name, as stored: a relative path with `/` between folders, ending in `/` for a folder.
        let name: String
        /// Whether it is a folder (its name ends in `/`).
        var isDirectory: Bool { name.hasSuffix("/") }
        /// Its compression method: 0 stored, 8 deflated.
        let method: Int
        /// The CRC-32 of its unpacked bytes, as declared.
        let crc32: UInt32
        /// Its size unpacked, as declared.
        let size: Int
        /// Where its local header starts in the archive.
        let headerOffset: Int
        /// Where its packed bytes are in the archive.
        let dataRange: Range<Int>
    }

    /// The entries, in the order of the central directory.
    let entries: [Entry]
    /// The whole archive.
    private let bytes: [UInt8]

    /// Reads the archive's central directory, and checks that every entry's data lies within the archive, apart
    /// from the others, and can be unpacked (method, encryption).
    ///
    /// - Throws: a `ZipError` saying what is wrong.
    init(_ data: Data) throws(ZipError) {
        try self.init(bytes: [UInt8](data))
    }

    /// Reads the archive `bytes`; see `init(_:)`.
    init(bytes: [UInt8]) throws(ZipError) {
        self.bytes = bytes
        let end = try Self.endRecord(in: bytes)
        // Disk numbers, entry counts on this disk and in all, central directory size and offset, comment length.
        let thisDisk = try bytes.uint16(at: end + 4), directoryDisk = try bytes.uint16(at: end + 6)
        let entriesHere = try bytes.uint16(at: end + 8), entryCount = try bytes.uint16(at: end + 10)
        let directorySize = try bytes.uint32(at: end + 12), directoryOffset = try bytes.uint32(at: end + 16)
        // Zip64 archives put 0xFFFF(FFFF) in these fields and their real values in zip64 records before this one.
        let zip64Locator = try end >= 20 ? bytes.uint32(at: end - 20) : 0
        if entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF || zip64Locator == 0x0706_4B50 {
            throw .zip64
        }
        guard thisDisk == 0, directoryDisk == 0, entriesHere == entryCount else { throw .multipleDisks }
        guard directoryOffset + directorySize <= end else {
            throw .truncated("its central directory (\(directorySize) bytes at offset \(directoryOffset)) does not fit before its end record at offset \(end)")
        }

        var entries = [Entry]()
        var offset = directoryOffset
        for number in stride(from: 1, through: entryCount, by: 1) {
            guard offset + 46 <= directoryOffset + directorySize else {
                throw .truncated("its central directory ends within entry \(number) of \(entryCount)")
            }
            guard try bytes.uint32(at: offset) == 0x0201_4B50 else {
                throw .malformed("central directory entry \(number) of \(entryCount) does not start with its signature")
            }
            let madeBy = try bytes.uint16(at: offset + 4), flags = try bytes.uint16(at: offset + 8)
            let method = try bytes.uint16(at: offset + 10), crc = try bytes.uint32(at: offset + 16)
            let packedSize = try bytes.uint32(at: offset + 20), size = try bytes.uint32(at: offset + 24)
            let nameLength = try bytes.uint16(at: offset + 28), extraLength = try bytes.uint16(at: offset + 30)
            let commentLength = try bytes.uint16(at: offset + 32)
            let externalAttributes = try bytes.uint32(at: offset + 38), localOffset = try bytes.uint32(at: offset + 42)
            let next = offset + 46 + nameLength + extraLength + commentLength
            guard next <= directoryOffset + directorySize else {
                throw .truncated("its central directory ends within entry \(number) of \(entryCount)")
            }
            let name = try Self.name(bytes[offset + 46..<offset + 46 + nameLength], utf8: flags & 0x0800 != 0)
            guard packedSize != 0xFFFF_FFFF, size != 0xFFFF_FFFF, localOffset != 0xFFFF_FFFF else { throw .zip64 }
            // Bit 0: encrypted; bit 6: strong encryption.
            guard flags & 0x0041 == 0 else { throw .encrypted(entry: name) }
            guard method == 0 || method == 8 else { throw .unsupportedMethod(entry: name, method: method) }
            // Made on Unix (3) or macOS (19): the high 16 bits are the file mode, whose type 0o120000 is a link.
            if (madeBy >> 8 == 3 || madeBy >> 8 == 19) && (externalAttributes >> 16) & 0o170000 == 0o120000 {
                throw .symbolicLink(entry: name)
            }
            if method == 0 && packedSize != size {
                throw .malformed("\(name) is stored uncompressed, but its two sizes differ (\(packedSize) and \(size))")
            }
            // The local header: its signature, then the lengths of its own copy of the name and of its extra field.
            guard localOffset + 30 <= directoryOffset else {
                throw .truncated("the local header of \(name) (at offset \(localOffset)) does not fit before the central directory")
            }
            guard try bytes.uint32(at: localOffset) == 0x0403_4B50 else {
                throw .malformed("the local header of \(name) (at offset \(localOffset)) does not start with its signature")
            }
            let dataStart = try localOffset + 30 + bytes.uint16(at: localOffset + 26) + bytes.uint16(at: localOffset + 28)
            guard dataStart + packedSize <= directoryOffset else {
                throw .truncated("the data of \(name) (\(packedSize) bytes at offset \(dataStart)) does not fit before the central directory")
            }
            // A deflate stream unpacks to at most 1,032 times its size (258 bytes for 2 bits): more is a false size.
            if method == 8 && size > 1032 * packedSize + 1032 {
                throw .malformed("\(name) declares \(size) bytes unpacked, more than its \(packedSize) packed bytes can hold")
            }
            entries.append(
                Entry(
                    name: name, method: method, crc32: UInt32(crc), size: size, headerOffset: localOffset,
                    dataRange: dataStart..<dataStart + packedSize))
            offset = next
        }
        // Entries that share bytes would let a small archive unpack to a great deal (the "overlapping files" bomb).
        // Sorted by position, each entry (local header and data) must end before the next one starts.
        let ordered = entries.sorted { $0.headerOffset < $1.headerOffset }
        for (first, second) in zip(ordered, ordered.dropFirst()) where first.dataRange.upperBound > second.headerOffset {
            throw .malformed("the entries \(first.name) and \(second.name) overlap")
        }
        self.entries = entries
    }

    /// The offset of the end-of-central-directory record: the last one in the final 64 KiB + 22 bytes (where it must
    /// be, its comment being at most 65,535 bytes) whose comment ends exactly where the archive does.
    private static func endRecord(in bytes: [UInt8]) throws(ZipError) -> Int {
        guard bytes.count >= 22 else { throw .notAZip }
        for offset in stride(from: bytes.count - 22, through: max(0, bytes.count - 22 - 65_535), by: -1)
        where bytes[offset] == 0x50 && bytes[offset + 1] == 0x4B && bytes[offset + 2] == 0x05 && bytes[offset + 3] == 0x06 {
            if try offset + 22 + bytes.uint16(at: offset + 20) == bytes.count { return offset }
        }
        throw .notAZip
    }

    /// An entry name: UTF-8 when the archive says so (flag bit 11) or when the bytes are valid UTF-8, else code page
    /// 437, the zip format's original character set.
    private static func name(_ raw: ArraySlice<UInt8>, utf8: Bool) throws(ZipError) -> String {
        if let text = String(bytes: raw, encoding: .utf8) { return text }
        if utf8 { throw .malformed("an entry name is marked as UTF-8 but is not") }
        let upperHalf = Array(
            "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{A0}")
        return String(raw.map { $0 < 0x80 ? Character(Unicode.Scalar($0)) : upperHalf[Int($0) - 0x80] })
    }

    /// The unpacked bytes of `entry`, checked against its declared size and CRC-32.
    ///
    /// - Throws: `ZipError.corruptData`, `.sizeMismatch` or `.checksumMismatch`.
    func contents(of entry: Entry) throws(ZipError) -> [UInt8] {
        let unpacked: [UInt8]
        if entry.method == 0 {
            unpacked = Array(bytes[entry.dataRange])
        } else {
            do {
                unpacked = try bytes.withUnsafeBufferPointer { all throws(InflateError) in
                    try inflate(UnsafeBufferPointer(rebasing: all[entry.dataRange]), size: entry.size)
                }
            } catch {
                switch error {
                case let .corrupt(reason): throw .corruptData(entry: entry.name, reason: reason)
                case .truncated: throw .corruptData(entry: entry.name, reason: "its compressed data ends before its last block does")
                case let .tooLong(declared):
                    throw .corruptData(entry: entry.name, reason: "it unpacks to more than the \(declared) bytes the archive declares")
                case let .tooShort(declared, actual): throw .sizeMismatch(entry: entry.name, declared: declared, actual: actual)
                }
            }
        }
        guard unpacked.count == entry.size else { throw .sizeMismatch(entry: entry.name, declared: entry.size, actual: unpacked.count) }
        let crc = CRC32.checksum(unpacked)
        guard crc == entry.crc32 else { throw .checksumMismatch(entry: entry.name, declared: entry.crc32, actual: crc) }
        return unpacked
    }

    /// The path below the destination folder where `entry` goes, as its components; nil for the folder itself (`./`).
    ///
    /// - Throws: `ZipError.unsafeName` for an absolute name, a name with a `..` component or a NUL, or an empty one.
    static func relativePath(of entry: Entry) throws(ZipError) -> [String]? {
        let name = entry.name
        guard !name.isEmpty, !name.hasPrefix("/"), !name.contains("\0") else { throw .unsafeName(name) }
        let components = name.split(separator: "/", omittingEmptySubsequences: true).map(String.init).filter { $0 != "." }
        guard !components.contains("..") else { throw .unsafeName(name) }
        if components.isEmpty {
            guard entry.isDirectory else { throw .unsafeName(name) }
            return nil
        }
        return components
    }

    /// Writes every entry into `folder` (which must exist): folders are created, files written whole, each only once
    /// its size and CRC-32 are checked. All names are checked before anything is written.
    ///
    /// On an error, what was written before it stays: extract into a folder of your own and discard it on failure, as
    /// the download does.
    ///
    /// - Throws: a `ZipError`; `.cannotWrite` for a file-system error, in plain words.
    func extract(to folder: URL) throws(ZipError) {
        var planned = [(entry: Entry, url: URL)]()
        var files = Set<String>()
        for entry in entries {
            guard let components = try Self.relativePath(of: entry) else { continue }
            let key = components.joined(separator: "/")
            guard entry.isDirectory || files.insert(key).inserted else { throw .duplicateName(key) }
            let url = components.reduce(folder) { $0.appendingPathComponent($1, isDirectory: false) }
            planned.append((entry, url))
        }
        let fileManager = FileManager.default
        for (entry, url) in planned {
            let contents = try entry.isDirectory ? [] : self.contents(of: entry)
            do {
                if entry.isDirectory {
                    try fileManager.createDirectory(at: url, withIntermediateDirectories: true)
                } else {
                    try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try Data(contents).write(to: url, options: .atomic)
                }
            } catch {
                throw .cannotWrite(path: url.path, reason: reason(of: error))
            }
        }
    }
}

/// The CRC-32 of zip, gzip and PNG (the reflected polynomial 0xEDB88320), one table lookup per byte.
enum CRC32 {
    /// The CRC of each byte value.
    static let table: [UInt32] = (0..<256).map { value in
        var crc = UInt32(value)
        for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        return crc
    }

    /// The CRC-32 of `bytes`.
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        let table = self.table
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return ~crc
    }
}

extension [UInt8] {
    /// The little-endian 16-bit number at `offset`.
    ///
    /// - Throws: `ZipError.truncated` when it lies (partly) outside the bytes.
    fileprivate func uint16(at offset: Int) throws(ZipError) -> Int {
        guard offset >= 0, offset <= count - 2 else { throw .truncated("a record at offset \(offset) runs past the end") }
        return Int(self[offset]) | Int(self[offset + 1]) << 8
    }

    /// The little-endian 32-bit number at `offset`.
    ///
    /// - Throws: `ZipError.truncated` when it lies (partly) outside the bytes.
    fileprivate func uint32(at offset: Int) throws(ZipError) -> Int {
        guard offset >= 0, offset <= count - 4 else { throw .truncated("a record at offset \(offset) runs past the end") }
        return Int(self[offset]) | Int(self[offset + 1]) << 8 | Int(self[offset + 2]) << 16 | Int(self[offset + 3]) << 24
    }
}
