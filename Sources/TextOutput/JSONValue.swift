/// A JSON value whose objects keep their keys in the order they were added, for `results.json`.
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case integer(Int)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.text() == b.text() }

    /// The value's JSON text, indented by two spaces per level; short arrays of numbers stay on one line.
    public func text(indent: Int = 0) -> String {
        let pad = String(repeating: "  ", count: indent + 1), end = String(repeating: "  ", count: indent)
        switch self {
        case .null: return "null"
        case let .bool(b): return b ? "true" : "false"
        case let .integer(i): return String(i)
        case let .number(d):
            guard d.isFinite else { return "null" }
            return d == d.rounded() && abs(d) < 1e15 ? String(format: "%.1f", d) : "\(d)"
        case let .string(s): return Self.quote(s)
        case let .array(items):
            if items.isEmpty { return "[]" }
            if items.allSatisfy(\.isScalar) {
                let inline = "[" + items.map { $0.text() }.joined(separator: ", ") + "]"
                if inline.count <= 100 || items.allSatisfy(\.isNumber) { return inline }
            }
            return "[\n" + items.map { pad + $0.text(indent: indent + 1) }.joined(separator: ",\n") + "\n\(end)]"
        case let .object(pairs):
            if pairs.isEmpty { return "{}" }
            return "{\n"
                + pairs.map { pad + Self.quote($0.0) + ": " + $0.1.text(indent: indent + 1) }
                .joined(separator: ",\n") + "\n\(end)}"
        }
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    private var isNumber: Bool {
        switch self {
        case .number, .integer: return true
        default: return false
        }
    }

    private static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// Values that can be recorded in `results.json`.
public protocol JSONConvertible {
    /// This value as JSON.
    var json: JSONValue { get }
}

extension JSONValue: JSONConvertible { public var json: JSONValue { self } }
extension Double: JSONConvertible { public var json: JSONValue { .number(self) } }
extension Int: JSONConvertible { public var json: JSONValue { .integer(self) } }
extension String: JSONConvertible { public var json: JSONValue { .string(self) } }
extension Bool: JSONConvertible { public var json: JSONValue { .bool(self) } }
extension Optional: JSONConvertible where Wrapped: JSONConvertible { public var json: JSONValue { self?.json ?? .null } }
extension Array: JSONConvertible where Element: JSONConvertible { public var json: JSONValue { .array(map(\.json)) } }
extension KeyValuePairs: JSONConvertible where Key == String, Value: JSONConvertible {
    public var json: JSONValue { .object(map { ($0.key, $0.value.json) }) }
}
extension Dictionary: JSONConvertible where Key == String, Value: JSONConvertible {
    /// Keys sorted, so the file is the same on every run.
    public var json: JSONValue { .object(sorted { $0.key < $1.key }.map { ($0.key, $0.value.json) }) }
}

extension JSONValue {
    /// An object from ordered key-value pairs.
    public static func object(_ pairs: KeyValuePairs<String, JSONConvertible>) -> JSONValue {
        .object(pairs.map { ($0.key, $0.value.json) })
    }
}
