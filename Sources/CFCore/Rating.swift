/// One observed rating: `user` gave `item` the score `value`. Indices count from 0.
public struct Rating: Equatable, Sendable {
    /// The user's row in the ratings matrix, stored in 32 bits so that a rating takes 16 bytes (25 million of them fit
    /// in 400 MB).
    @usableFromInline var userIndex: Int32
    /// The item's column in the ratings matrix, stored in 32 bits.
    @usableFromInline var itemIndex: Int32
    /// The score the user gave.
    public var value: Double

    /// The user's row in the ratings matrix: an `Int`, to index a `Matrix` or an array directly.
    @inlinable public var user: Int {
        get { Int(userIndex) }
        set { userIndex = Int32(newValue) }
    }
    /// The item's column in the ratings matrix: an `Int`, to index a `Matrix` or an array directly.
    @inlinable public var item: Int {
        get { Int(itemIndex) }
        set { itemIndex = Int32(newValue) }
    }

    /// A rating of `item` by `user`.
    public init(user: Int, item: Int, value: Double) {
        self.userIndex = Int32(user)
        self.itemIndex = Int32(item)
        self.value = value
    }
}
