// Wrappers that let threads share buffers whose parts they touch are disjoint (or read-only).
import Dispatch

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

/// Zeroed scratch memory that several threads write in disjoint parts, freed with the last reference: per-thread
/// gradient copies (batch gradient descent) and padded rows (Bayesian SVD++'s y step). Only the pointer: a generic
/// method called from another file is not specialized in a debug build (no whole-module optimization), so hot loops
/// take `pointer` once and index it themselves.
final class ScratchBuffer<Scalar: SIMDScalar & Numeric>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Scalar>

    init(_ count: Int) {
        pointer = .allocate(capacity: max(count, 8))
        pointer.initialize(repeating: 0, count: max(count, 8))
    }

    /// Memory left as it comes, for a buffer whose every entry is written before it is read (zeroing megabytes every
    /// sweep costs time for nothing).
    init(uninitialized count: Int) {
        pointer = .allocate(capacity: max(count, 8))
    }

    deinit { pointer.deallocate() }
}

/// Runs `body` for the chunks 0..<`chunks`: on `threads` threads, or one after the other on this thread when `threads`
/// is 1 (a run beside another, each on one core). Each chunk writes only its own part, so the order does not matter.
func inChunks(_ chunks: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
    if threads <= 1 {
        for chunk in 0..<chunks { body(chunk) }
    } else {
        DispatchQueue.concurrentPerform(iterations: chunks, execute: body)
    }
}
