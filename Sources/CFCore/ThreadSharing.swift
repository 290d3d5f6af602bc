// Wrappers that let threads share buffers whose parts they touch are disjoint (or read-only).

/// A buffer written by several threads at once, each to its own disjoint part.
struct SharedSlots<T>: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<T>
    init(_ base: UnsafeMutableBufferPointer<T>) { self.base = base }
}

/// A buffer read by several threads at once.
struct ReadOnly<T>: @unchecked Sendable {
    let base: UnsafeBufferPointer<T>
    init(_ base: UnsafeBufferPointer<T>) { self.base = base }
}

/// A value handed to other threads whose safety the caller guarantees (a closure that only touches disjoint data).
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
