import Foundation

/// A file that could not be written: which one, and why in plain words.
public struct WriteError: Error, Equatable, CustomStringConvertible {
    /// The file's path.
    public let path: String
    /// Why, e.g. "permission denied".
    public let reason: String

    /// An error for `path`.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "cannot write \(path): \(reason)" }
}

/// Writes `text` to `url` through a temporary file and a rename, so the file is never seen half-written.
public func writeAtomically(_ text: String, to url: URL) throws {
    do {
        try Data(text.utf8).write(to: url, options: .atomic)
    } catch {
        throw WriteError(path: url.path, reason: reason(of: error))
    }
}

/// A short human reason for a file-system error, in plain words ("permission denied", "no such file or folder"),
/// never a Foundation error domain and code.
public func reason(of error: Error) -> String {
    let nsError = error as NSError
    if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
        return String(cString: strerror(Int32(underlying.code))).lowercased()
    }
    if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))).lowercased() }
    switch CocoaError.Code(rawValue: nsError.code) {
    case .fileWriteNoPermission, .fileReadNoPermission: return "permission denied"
    case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or folder"
    case .fileWriteOutOfSpace: return "no space left on device"
    case .fileWriteVolumeReadOnly: return "read-only file system"
    case .fileWriteFileExists: return "a file is in the way"
    default: return nsError.localizedDescription
    }
}
