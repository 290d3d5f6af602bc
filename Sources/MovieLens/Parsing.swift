import Foundation

/// Why a data set could not be read.
public enum MovieLensError: Error, Equatable, CustomStringConvertible {
    /// The folder holds none of the known file sets.
    case notFound(directory: String)
    /// A file that must be there is not.
    case missingFile(String)
    /// A file has no data lines.
    case emptyFile(String)
    /// A line does not have the expected shape.
    case malformedLine(file: String, line: Int, reason: String)
    /// A rating lies outside the data set's scale.
    case ratingOutOfScale(file: String, line: Int, value: Double, scale: ClosedRange<Double>)
    /// A rating names a movie that the titles file does not list.
    case unknownMovie(file: String, line: Int, movie: Int, titles: String)
    /// A rating names a user that the main ratings file does not (in a fold file).
    case unknownUser(file: String, line: Int, user: Int)
    /// A file is there but cannot be read (permissions, a folder in its place).
    case unreadable(file: String, reason: String)
    /// A movie id given on the command line is not in the data set.
    case unknownMovieID(Int, valid: String, dataSet: String)
    /// A user id given on the command line is not in the data set.
    case unknownUserID(Int, valid: String, dataSet: String)
    /// The download failed; the text says why in one line.
    case download(String)

    public var description: String {
        switch self {
        case let .notFound(directory):
            return "no MovieLens data in \(directory): looked for u.data and u.item (MovieLens 100K), ratings.dat and movies.dat (1M) or ratings.csv and movies.csv (latest-small), there and in its ml-100k folder"
        case let .missingFile(path):
            return "\(path) is missing"
        case let .emptyFile(path):
            return "\(path) is empty: it has no data lines"
        case let .malformedLine(file, line, reason):
            return "\(file):\(line): \(reason)"
        case let .ratingOutOfScale(file, line, value, scale):
            return "\(file):\(line): rating \(value) is outside the scale \(scale.lowerBound)…\(scale.upperBound)"
        case let .unknownMovie(file, line, movie, titles):
            return "\(file):\(line): movie \(movie) is not in \(titles): the ratings and the titles do not match"
        case let .unknownUser(file, line, user):
            return "\(file):\(line): user \(user) does not appear in the main ratings file"
        case let .unreadable(file, reason):
            return "cannot read \(file): \(reason)"
        case let .unknownMovieID(id, valid, dataSet):
            return "movie \(id) is not in \(dataSet): its movie ids run from \(valid)"
        case let .unknownUserID(id, valid, dataSet):
            return "user \(id) is not in \(dataSet) (its user ids run from \(valid))"
        case let .download(reason):
            return reason
        }
    }
}

/// One line of a text file: its number (from 1) and its bytes, without the line break.
struct Line {
    let number: Int
    let bytes: ArraySlice<UInt8>
}

/// Reads a whole file as bytes and hands out its non-empty lines.
struct TextFile {
    let path: String
    let name: String
    let lines: [Line]

    init(_ url: URL) throws {
        path = url.path
        name = url.lastPathComponent
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw MovieLensError.missingFile(path) }
        guard !isFolder.boolValue else { throw MovieLensError.unreadable(file: path, reason: "it is a folder, not a file") }
        guard FileManager.default.isReadableFile(atPath: path), let data = try? Data(contentsOf: url) else {
            throw MovieLensError.unreadable(file: path, reason: "permission denied")
        }
        let bytes = [UInt8](data)
        var lines = [Line](), start = 0, number = 1
        for index in 0...bytes.count {
            guard index == bytes.count || bytes[index] == 0x0A else { continue }
            var end = index
            if end > start && bytes[end - 1] == 0x0D { end -= 1 }
            if end > start { lines.append(Line(number: number, bytes: bytes[start..<end])) }
            start = index + 1
            number += 1
        }
        guard !lines.isEmpty else { throw MovieLensError.emptyFile(path) }
        self.lines = lines
    }

    /// A malformed-line error for `line`.
    func malformed(_ line: Line, _ reason: String) -> MovieLensError {
        .malformedLine(file: path, line: line.number, reason: reason)
    }
}

/// Splits bytes at every occurrence of a one- or two-byte separator.
func fields(_ bytes: ArraySlice<UInt8>, separator: [UInt8]) -> [ArraySlice<UInt8>] {
    var result = [ArraySlice<UInt8>](), start = bytes.startIndex, index = bytes.startIndex
    while index < bytes.endIndex {
        if bytes[index] == separator[0] && (separator.count == 1 || (index + 1 < bytes.endIndex && bytes[index + 1] == separator[1])) {
            result.append(bytes[start..<index])
            index += separator.count
            start = index
        } else {
            index += 1
        }
    }
    result.append(bytes[start..<bytes.endIndex])
    return result
}

/// Splits one CSV line into fields: commas separate, double quotes protect commas, "" is a quote.
func csvFields(_ bytes: ArraySlice<UInt8>) -> [String]? {
    var result = [String](), field = [UInt8](), quoted = false, index = bytes.startIndex
    while index < bytes.endIndex {
        let byte = bytes[index]
        if quoted {
            if byte == 0x22 {
                if index + 1 < bytes.endIndex && bytes[index + 1] == 0x22 { field.append(0x22); index += 1 } else { quoted = false }
            } else {
                field.append(byte)
            }
        } else if byte == 0x22 && field.isEmpty {
            quoted = true
        } else if byte == 0x2C {
            result.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        } else {
            field.append(byte)
        }
        index += 1
    }
    if quoted { return nil }
    result.append(String(decoding: field, as: UTF8.self))
    return result
}

/// A whole number written in ASCII digits, or nil.
func integer(_ bytes: ArraySlice<UInt8>) -> Int? {
    guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
    var value = 0
    for byte in bytes {
        guard byte >= 0x30 && byte <= 0x39 else { return nil }
        value = value * 10 + Int(byte - 0x30)
    }
    return value
}

/// A decimal number such as 4 or 3.5, or nil.
func decimal(_ bytes: ArraySlice<UInt8>) -> Double? {
    if let whole = integer(bytes) { return Double(whole) }
    return Double(String(decoding: bytes, as: UTF8.self))
}

/// Text in Latin-1 (ISO 8859-1), as MovieLens 100K and 1M store their titles.
func latin1(_ bytes: ArraySlice<UInt8>) -> String {
    String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
}
