import ArgumentParser

/// An option value that is a comma-separated list, like `--k 1,2,3,5,8` or `--lambda 0.01,0.1`.
public struct ListOption<Value: LosslessStringConvertible & Sendable>: ExpressibleByArgument, Sendable {
    /// The values, in the order given.
    public var values: [Value]

    /// A list with these values (for defaults).
    public init(_ values: [Value]) { self.values = values }

    public init?(argument: String) {
        // Every item must be a value: `1,,3` or a trailing comma is a mistake, not a shorter list.
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
            .map { Value(String($0).trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        values = parts.map { $0! }
    }

    public var defaultValueDescription: String { values.map(\.description).joined(separator: ",") }
}
