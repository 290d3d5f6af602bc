import Foundation
import TextOutput

/// The last check of a lesson's cells, kept under the package's `.build/checks/` so that `swift run course` and the
/// lesson's page can show each exercise's status without grading again, and can tell when `Cells.swift` changed since.
public struct CheckRecord: Sendable, Equatable {
    /// Each exercise's status and what the check found, by exercise id ("5.2").
    public let outcomes: [String: (status: CheckOutcome.Status, message: String)]
    /// A fingerprint of `Cells.swift` as it was checked.
    public let fingerprint: String

    public static func == (a: CheckRecord, b: CheckRecord) -> Bool {
        a.fingerprint == b.fingerprint
            && a.outcomes.mapValues { "\($0.status.rawValue)|\($0.message)" }
                == b.outcomes.mapValues { "\($0.status.rawValue)|\($0.message)" }
    }

    /// Where lesson `n`'s record is kept, under the package folder `root`.
    public static func url(lesson n: Int, root: URL) -> URL {
        root.appendingPathComponent(".build/checks/lesson-\(n).json")
    }

    /// A fingerprint of a file's bytes (64-bit FNV-1a, in hex), or nil when it cannot be read.
    public static func fingerprint(of url: URL) -> String? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    /// Keeps the outcomes of checking lesson `n`'s cells, when `root` is the package folder holding its `Cells.swift`
    /// (a check run from elsewhere keeps nothing). Best effort: a record that cannot be written is not an error.
    /// `fingerprint` is that of `Cells.swift` as the checked build saw it (taken before the check; by default now).
    public static func save(_ outcomes: [CheckOutcome], lesson n: Int, root: URL, fingerprint before: String? = nil) {
        let cells = root.appendingPathComponent(Course.cellsFile(n))
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path),
            let fingerprint = before ?? fingerprint(of: cells)
        else { return }
        let json = JSONValue.object([
            ("cells", fingerprint.json),
            ("outcomes", .array(outcomes.map { .object([("id", $0.info.id.json), ("status", $0.status.rawValue.json), ("message", $0.message.json)]) }))
        ])
        let url = url(lesson: n, root: root)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? writeAtomically(json.text() + "\n", to: url)
    }

    /// The record of lesson `n`'s last check under `root`, or nil when there is none (or it cannot be read).
    public static func load(lesson n: Int, root: URL) -> CheckRecord? {
        guard let data = FileManager.default.contents(atPath: url(lesson: n, root: root).path),
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let fingerprint = object["cells"] as? String, let list = object["outcomes"] as? [[String: String]]
        else { return nil }
        var outcomes = [String: (status: CheckOutcome.Status, message: String)]()
        for item in list {
            guard let id = item["id"], let status = item["status"].flatMap(CheckOutcome.Status.init(rawValue:)) else { return nil }
            outcomes[id] = (status, item["message"] ?? "")
        }
        return CheckRecord(outcomes: outcomes, fingerprint: fingerprint)
    }

    /// Whether lesson `n`'s `Cells.swift` under `root` changed since this record was made.
    public func isStale(lesson n: Int, root: URL) -> Bool {
        Self.fingerprint(of: root.appendingPathComponent(Course.cellsFile(n))) != fingerprint
    }

    /// How many exercises were right.
    public var right: Int { outcomes.values.filter { $0.status == .right }.count }
}
