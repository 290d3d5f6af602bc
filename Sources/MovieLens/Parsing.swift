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
    /// Folds were asked for, but the data set has none.
    case noFolds(dataSet: String)
    /// Where the data was to be looked for is wrong (a missing folder, a file); the text says which and what to do.
    case location(String)

    public var description: String {
        switch self {
        case let .notFound(directory):
            return
                "no MovieLens data in \(directory): looked for u.data and u.item (MovieLens 100K), ratings.dat and movies.dat (1M) or ratings.csv and movies.csv (latest-small), there and in its ml-100k folder"
        case let .missingFile(path):
            return "\(path) is missing"
        case let .emptyFile(path):
            return "\(path) is empty: it has no data lines"
        case let .malformedLine(file, line, reason):
            return "\(file):\(line): \(reason)"
        case let .ratingOutOfScale(file, line, value, scale):
            return "\(file):\(line): rating \(formatRating(value)) is outside the scale \(formatRating(scale.lowerBound)) to \(formatRating(scale.upperBound))"
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
        case let .location(text):
            return text
        case let .noFolds(dataSet):
            return "\(dataSet) has no official folds (only MovieLens 100K has u1..u5): run without --folds, on one seeded split"
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

    /// Whether the file is UTF-8 throughout; if not, its text is read as Latin-1 (ISO 8859-1), as MovieLens 100K and 1M
    /// store their titles. Files edited by people come in either, so the bytes decide, not the format.
    let isUTF8: Bool

    init(_ url: URL) throws {
        path = url.path
        name = url.lastPathComponent
        let bytes = [UInt8](try readRegularFile(path))
        isUTF8 = String(validating: bytes, as: UTF8.self) != nil
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

    /// Text of this file, in its encoding.
    func text(_ bytes: ArraySlice<UInt8>) -> String {
        isUTF8 ? String(decoding: bytes, as: UTF8.self) : latin1(bytes)
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

/// The bytes of the regular file at `path`.
///
/// - Throws: `MovieLensError.missingFile`, or `.unreadable` for a folder, a device, a pipe or a socket (which would
///   block or read as nothing) and a file that cannot be read.
func readRegularFile(_ path: String) throws -> Data {
    var info = stat()
    guard !path.isEmpty, stat(path, &info) == 0 else {
        if errno == EACCES { throw MovieLensError.unreadable(file: path, reason: "permission denied") }
        throw MovieLensError.missingFile(path.isEmpty ? "(an empty file name)" : path)
    }
    switch info.st_mode & S_IFMT {
    case S_IFREG: break
    case S_IFDIR: throw MovieLensError.unreadable(file: path, reason: "it is a folder, not a file")
    default: throw MovieLensError.unreadable(file: path, reason: "it is not a regular file (a device, a pipe or a socket); give a file")
    }
    guard FileManager.default.isReadableFile(atPath: path), let data = FileManager.default.contents(atPath: path) else {
        throw MovieLensError.unreadable(file: path, reason: "permission denied")
    }
    return data
}

/// At most `limit` characters of `text` for an error message, with an ellipsis when it was cut: a bad line of
/// 10 MB is quoted, not echoed.
public func excerpt(_ text: some StringProtocol, limit: Int = 60) -> String {
    text.count <= limit ? String(text) : String(text.prefix(limit)) + "…"
}

/// `excerpt` of bytes read as UTF-8.
func excerpt(_ bytes: ArraySlice<UInt8>) -> String { excerpt(String(decoding: bytes.prefix(400), as: UTF8.self)) }

/// Splits one CSV line into fields: commas separate, double quotes protect commas, "" is a quote.
func csvFields(_ bytes: ArraySlice<UInt8>, decode: (ArraySlice<UInt8>) -> String) -> [String]? {
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
            result.append(decode(field[...]))
            field.removeAll(keepingCapacity: true)
        } else {
            field.append(byte)
        }
        index += 1
    }
    if quoted { return nil }
    result.append(decode(field[...]))
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

/// A decimal number written plainly, such as 4, 3.5 or -1, or nil: no exponent, no hexadecimal (`0x1p2`), no `inf`.
func decimal(_ bytes: ArraySlice<UInt8>) -> Double? {
    if let whole = integer(bytes) { return Double(whole) }
    let digits = bytes.first == 0x2D ? bytes.dropFirst() : bytes
    let parts = digits.split(separator: 0x2E, omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty || !parts[1].isEmpty,
        parts.allSatisfy({ $0.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }), bytes.count <= 24
    else { return nil }
    return Double(String(decoding: bytes, as: UTF8.self))
}

/// Whether `value` is one of the steps of a rating scale that starts at `scale.lowerBound` and goes up by `step`.
func isOnSteps(_ value: Double, of scale: ClosedRange<Double>, step: Double) -> Bool {
    let steps = (value - scale.lowerBound) / step
    return abs(steps - steps.rounded()) < 1e-9
}

/// The scale's steps in words: "whole stars from 1 to 5", "half stars from 0.5 to 5".
func stepsInWords(_ scale: ClosedRange<Double>, step: Double) -> String {
    let kind = step == 1 ? "whole stars" : step == 0.5 ? "half stars" : "steps of \(step)"
    return "\(kind) from \(formatRating(scale.lowerBound)) to \(formatRating(scale.upperBound))"
}

/// A rating as a person writes it: 4, 3.5.
func formatRating(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
}

/// Text in Latin-1 (ISO 8859-1), as MovieLens 100K and 1M store their titles.
func latin1(_ bytes: ArraySlice<UInt8>) -> String {
    String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
}
