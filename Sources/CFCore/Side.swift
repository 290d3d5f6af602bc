/// Which side of the ratings matrix a fit solves for.
public enum Side: String, Sendable {
    /// The rows: one factor vector per user.
    case users
    /// The columns: one factor vector per item.
    case items

    /// "user" or "item".
    public var singular: String { self == .users ? "user" : "item" }
}
