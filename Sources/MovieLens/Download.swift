import CFCore
import Crypto
import Foundation
import TextOutput
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Where the lessons look for MovieLens, and how they fetch it when it is not there.
public enum DataLocation {
    /// GroupLens' published archive of MovieLens 100K, with its size and MD5 digest.
    public static let movieLens100K = Archive(
        url: URL(string: "https://files.grouplens.org/datasets/movielens/ml-100k.zip")!,
        size: 4_924_029, md5: "0e33842e24a9c977be4e0107933c0723", folder: "ml-100k")

    /// A downloadable zip archive of a data set.
    public struct Archive: Sendable {
        /// Where it is published (`CF_MOVIELENS_URL` in the environment overrides it, e.g. with a local mirror).
        public var url: URL
        /// Its size in bytes, if known.
        public var size: Int?
        /// Its MD5 digest in lowercase hexadecimal.
        public var md5: String
        /// The folder the archive unpacks to.
        public var folder: String

        /// An archive description.
        public init(url: URL, size: Int?, md5: String, folder: String) {
            self.url = url
            self.size = size
            self.md5 = md5
            self.folder = folder
        }
    }

    /// The folder to use: `--data DIR` if given, else `$CF_DATA_DIR`, else the per-user cache folder.
    public static func folder(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let explicit { return URL(fileURLWithPath: explicit).standardizedFileURL }
        if let fromEnvironment = environment["CF_DATA_DIR"], !fromEnvironment.isEmpty {
            return URL(fileURLWithPath: fromEnvironment).standardizedFileURL
        }
        return cacheFolder(environment: environment)
    }

    /// Where the data set is, as every program of the course looks for it: the folder looked in, and the data set
    /// folder found there (nil when the default location holds none yet: the lessons then download into `folder`).
    ///
    /// An explicit `--data DIR` must hold a data set. A `CF_DATA_DIR` that is set names the data's folder as `--data`
    /// does: it must exist (an empty one is downloaded into), and a mistyped one is an error, never a silent fallback
    /// nor a folder created.
    ///
    /// - Throws: `MovieLensError.location` or `.notFound`, in one line that says what was looked for.
    public static func locate(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> (folder: URL, found: URL?)
    {
        func kind(_ url: URL) -> Bool? {
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) ? isFolder.boolValue : nil
        }
        if let explicit {
            let folder = URL(fileURLWithPath: explicit).standardizedFileURL
            guard !explicit.isEmpty, let isFolder = kind(folder) else {
                throw MovieLensError.location("--data \(explicit): no such folder (give the folder that holds u.data, ratings.dat or ratings.csv)")
            }
            guard isFolder else { throw MovieLensError.location("--data \(explicit) is a file, not a folder (give the folder that holds it)") }
            guard let found = dataSetFolder(in: folder) else { throw MovieLensError.notFound(directory: folder.path) }
            return (folder, found)
        }
        let folder = self.folder(explicit: nil, environment: environment)
        if let named = environment["CF_DATA_DIR"], !named.isEmpty {
            guard let isFolder = kind(folder) else {
                throw MovieLensError.location(
                    "CF_DATA_DIR=\(named): no such folder (set it to the folder that holds u.data, ratings.dat or ratings.csv, or to an empty folder to download MovieLens into, or unset it)"
                )
            }
            guard isFolder else {
                throw MovieLensError.location("CF_DATA_DIR=\(named) is a file, not a folder (set it to the folder that holds it, or unset it)")
            }
        }
        return (folder, dataSetFolder(in: folder))
    }

    /// The per-user cache folder: `$XDG_CACHE_HOME/cf-lessons`, `~/Library/Caches/cf-lessons` on macOS, else `~/.cache/cf-lessons`.
    public static func cacheFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("cf-lessons")
        }
        // An empty HOME is unset, as an empty XDG_CACHE_HOME is: never a cache in the current folder.
        let home = URL(fileURLWithPath: environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? accountHome())
        #if os(macOS)
            return home.appendingPathComponent("Library/Caches/cf-lessons")
        #else
            return home.appendingPathComponent(".cache/cf-lessons")
        #endif
    }

    /// The home folder of the account running the program, from the password database (not from HOME).
    static func accountHome() -> String {
        if let entry = getpwuid(getuid()), let folder = entry.pointee.pw_dir, folder.pointee != 0 { return String(cString: folder) }
        return "/"
    }

    /// The folder inside `folder` that holds a data set: `folder` itself, or its `ml-100k` subfolder; nil if neither.
    public static func dataSetFolder(in folder: URL) -> URL? {
        for candidate in [folder, folder.appendingPathComponent(movieLens100K.folder)] {
            for file in ["u.data", "ratings.dat", "ratings.csv"]
            where FileManager.default.fileExists(atPath: candidate.appendingPathComponent(file).path) {
                return candidate
            }
        }
        return nil
    }

    /// Downloads `archive` into `folder` (as `folder/<archive.folder>`), checks its size and MD5, unzips it
    /// and moves it into place only when whole. On any failure nothing is left behind.
    ///
    /// - Parameter progress: called with the bytes received so far and the expected total, when known.
    /// - Returns: the unpacked data set folder.
    /// - Throws: `MovieLensError.download` with a one-line reason.
    public static func download(_ archive: Archive, into folder: URL, progress: @escaping @Sendable (Int64, Int64?) -> Void = { _, _ in })
        throws -> URL
    {
        let fileManager = FileManager.default
        do {
            try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw MovieLensError.download("cannot create \(folder.path): \(reason(of: error))")
        }
        removeAbandonedDownloads(in: folder)
        // `.download-PID-UUID`: removed when this run ends in any way, an interrupt included; left only by a run that
        // was killed outright, and then removed by the next run once that process is gone.
        let work = folder.appendingPathComponent(".download-\(getpid())-\(UUID().uuidString)")
        let cleanup = Interrupts.shared.onInterrupt { try? FileManager.default.removeItem(at: work) }
        Interrupts.shared.install()
        defer {
            try? fileManager.removeItem(at: work)
            Interrupts.shared.remove(cleanup)
        }
        do {
            try fileManager.createDirectory(at: work, withIntermediateDirectories: true)
        } catch {
            throw MovieLensError.download("cannot write in \(folder.path): \(reason(of: error))")
        }
        let zip = work.appendingPathComponent("archive.zip")
        try fetch(archive.url, to: zip, expected: archive.size, progress: progress)
        let data: Data
        do { data = try Data(contentsOf: zip) } catch { throw MovieLensError.download("cannot read the downloaded archive") }
        if let size = archive.size, data.count != size {
            throw MovieLensError.download("the download from \(archive.url.absoluteString) has \(data.count) bytes, expected \(size); nothing was kept")
        }
        let digest = Insecure.MD5.hash(data: data).map { String(format: "%02x", $0) }.joined()
        guard digest == archive.md5.lowercased() else {
            throw MovieLensError.download("the download from \(archive.url.absoluteString) has MD5 \(digest), expected \(archive.md5); nothing was kept")
        }
        let unpacked = work.appendingPathComponent("unpacked")
        do {
            try fileManager.createDirectory(at: unpacked, withIntermediateDirectories: true)
            // The bytes just checked are the ones unpacked (ZipArchive.swift: stored and deflated entries, each
            // checked against its size and CRC-32; names that would leave `unpacked` are refused).
            try ZipArchive(data).extract(to: unpacked)
        } catch {
            throw MovieLensError.download("the archive from \(archive.url.absoluteString) could not be unzipped (\(error)); nothing was kept")
        }
        let source = unpacked.appendingPathComponent(archive.folder)
        guard dataSetFolder(in: source) == source else {
            throw MovieLensError.download("the archive has no \(archive.folder)/ folder with ratings in it; nothing was kept")
        }
        let target = folder.appendingPathComponent(archive.folder)
        try? fileManager.removeItem(at: target)
        guard rename(source.path, target.path) == 0 else {
            throw MovieLensError.download("cannot move the data into \(target.path): \(String(cString: strerror(errno)))")
        }
        return target
    }

    /// Removes the partial downloads in `folder` of runs that no longer exist (killed outright, or of an older version
    /// of the course, whose partial downloads carried no process id).
    static func removeAbandonedDownloads(in folder: URL) {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where entry.hasPrefix(".download-") {
            let rest = entry.dropFirst(".download-".count)
            if let pid = rest.split(separator: "-").first.flatMap({ Int32($0) }), rest.split(separator: "-").count > 1 {
                guard pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            }
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(entry))
        }
    }

    /// How long a download may go without receiving anything before it is given up, in seconds.
    static let stallTimeout: TimeInterval = 30

    /// Copies `url` (file:// or http(s)://) to `destination`, reporting progress.
    private static func fetch(_ url: URL, to destination: URL, expected: Int?, progress: @escaping @Sendable (Int64, Int64?) -> Void) throws {
        if url.isFileURL {
            do {
                try FileManager.default.copyItem(at: url, to: destination)
            } catch {
                throw MovieLensError.download("cannot read \(url.path): no such file")
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: destination.path)[.size] as? Int) ?? 0
            progress(Int64(size), Int64(size))
            return
        }
        let delegate = DownloadDelegate(destination: destination, expected: expected.map(Int64.init), progress: progress)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = stallTimeout
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        session.downloadTask(with: url).resume()
        delegate.finished.wait()
        session.finishTasksAndInvalidate()
        if let failure = delegate.failure {
            throw MovieLensError.download(
                "could not download \(url.absoluteString): \(failure)"
                    + " (set CF_MOVIELENS_URL to a mirror, or pass --data DIR with a copy)")
        }
    }
}

/// Receives a download's progress and file; `finished` is signalled when it ends either way.
final class DownloadDelegate: NSObject, URLSessionDownloadDelegate, @unchecked Sendable {
    let destination: URL
    let expected: Int64?
    let progress: @Sendable (Int64, Int64?) -> Void
    let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var _failure: String?

    var failure: String? { lock.withLock { _failure } }

    init(destination: URL, expected: Int64?, progress: @escaping @Sendable (Int64, Int64?) -> Void) {
        self.destination = destination
        self.expected = expected
        self.progress = progress
    }

    func urlSession(
        _ session: URLSession, downloadTask: URLSessionDownloadTask, didWriteData bytesWritten: Int64,
        totalBytesWritten: Int64, totalBytesExpectedToWrite: Int64
    ) {
        progress(totalBytesWritten, totalBytesExpectedToWrite > 0 ? totalBytesExpectedToWrite : expected)
    }

    func urlSession(_ session: URLSession, downloadTask: URLSessionDownloadTask, didFinishDownloadingTo location: URL) {
        if let response = downloadTask.response as? HTTPURLResponse, !(200..<300).contains(response.statusCode) {
            lock.withLock { _failure = "the server answered HTTP \(response.statusCode)" }
            return
        }
        do {
            try FileManager.default.moveItem(at: location, to: destination)
        } catch {
            lock.withLock { _failure = "cannot keep the downloaded file: \(reason(of: error))" }
        }
    }

    /// A network error in plain words, never a Foundation error domain and code.
    static func plainWords(_ error: Error) -> String {
        let nsError = error as NSError
        guard nsError.domain == NSURLErrorDomain else { return reason(of: error) }
        switch URLError.Code(rawValue: nsError.code) {
        case .timedOut: return "the server did not answer within \(Int(DataLocation.stallTimeout)) s"
        case .cannotConnectToHost: return "the server refused the connection"
        case .cannotFindHost, .dnsLookupFailed: return "the server's name could not be found"
        case .notConnectedToInternet: return "this computer is not connected to the internet"
        case .networkConnectionLost: return "the connection was lost"
        case .unsupportedURL: return "the address is not one that can be downloaded"
        default: return nsError.localizedDescription.contains("NSURLErrorDomain") ? "network error \(nsError.code)" : nsError.localizedDescription
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        if let error {
            lock.withLock { if _failure == nil { _failure = Self.plainWords(error) } }
        }
        finished.signal()
    }
}
