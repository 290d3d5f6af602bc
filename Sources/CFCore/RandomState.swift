import Foundation

/// A seeded random generator that gives the same numbers as numpy's legacy `np.random.RandomState`.
///
/// It is the 32-bit Mersenne Twister (MT19937) seeded the way `np.random.seed(n)` seeds it, with
/// numpy's own recipes on top: `rand` builds a 53-bit double from two 32-bit draws, and `randn` uses
/// the polar method and keeps its second normal value for the next call. A lesson ported from a
/// notebook that calls `np.random.seed(42)` therefore reproduces the notebook's numbers exactly.
public struct RandomState: Sendable {
    private static let n = 624
    private static let m = 397
    private var state = [UInt32](repeating: 0, count: 624)
    private var position = 624
    private var cachedGaussian: Double?

    /// A generator seeded like `np.random.seed(seed)`.
    public init(seed: UInt32) {
        state[0] = seed
        for i in 1..<Self.n {
            let previous = state[i - 1]
            state[i] = 1_812_433_253 &* (previous ^ (previous >> 30)) &+ UInt32(i)
        }
        position = Self.n
    }

    /// Refills the state with the next 624 words (the "twist").
    private mutating func twist() {
        let upper: UInt32 = 0x8000_0000, lower: UInt32 = 0x7fff_ffff, matrixA: UInt32 = 0x9908_b0df
        for i in 0..<Self.n {
            let y = (state[i] & upper) | (state[(i + 1) % Self.n] & lower)
            state[i] = state[(i + Self.m) % Self.n] ^ (y >> 1) ^ ((y & 1) == 0 ? 0 : matrixA)
        }
        position = 0
    }

    /// The next raw 32-bit output.
    public mutating func nextUInt32() -> UInt32 {
        if position >= Self.n { twist() }
        var y = state[position]
        position += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    /// A uniform double in [0, 1), like `np.random.rand()`.
    public mutating func rand() -> Double {
        let a = Double(nextUInt32() >> 5), b = Double(nextUInt32() >> 6)
        return (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }

    /// A standard normal double, like `np.random.randn()`.
    public mutating func randn() -> Double {
        if let cached = cachedGaussian {
            cachedGaussian = nil
            return cached
        }
        var x1 = 0.0, x2 = 0.0, r2 = 0.0
        repeat {
            x1 = 2 * rand() - 1
            x2 = 2 * rand() - 1
            r2 = x1 * x1 + x2 * x2
        } while r2 >= 1 || r2 == 0
        let f = (-2 * log(r2) / r2).squareRoot()
        cachedGaussian = f * x1
        return f * x2
    }

    /// A `rows × columns` matrix of uniform draws, filled row by row like `np.random.rand(rows, columns)`.
    public mutating func rand(_ rows: Int, _ columns: Int) -> Matrix {
        Matrix(rows: rows, columns: columns, elements: (0..<(rows * columns)).map { _ in rand() })
    }

    /// A `rows × columns` matrix of standard normal draws, like `np.random.randn(rows, columns)`.
    public mutating func randn(_ rows: Int, _ columns: Int) -> Matrix {
        Matrix(rows: rows, columns: columns, elements: (0..<(rows * columns)).map { _ in randn() })
    }

    /// A uniform integer in `0...max`, drawn like numpy's legacy bounded integers (masked rejection).
    public mutating func integer(upTo max: Int) -> Int {
        require(max >= 0 && max <= Int(UInt32.max), "the bound must lie in 0...\(UInt32.max)")
        if max == 0 { return 0 }
        var mask = UInt32(max)
        mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4; mask |= mask >> 8; mask |= mask >> 16
        while true {
            let value = nextUInt32() & mask
            if value <= UInt32(max) { return Int(value) }
        }
    }

    /// Shuffles `elements` in place exactly as `np.random.shuffle` does for a one-dimensional array.
    ///
    /// Works on arrays and on parts of them (`rng.shuffle(&array[a..<b])`), without copying.
    /// Specialized here for what the trainers shuffle, so that a debug build (no whole-module optimization) does not run
    /// it generically from their files, through the runtime's witness tables at every swap.
    @_specialize(where C == [Int])
    @_specialize(where C == [Rating])
    @_specialize(where C == ArraySlice<Int>)
    @_specialize(where C == ArraySlice<Rating>)
    public mutating func shuffle<C: MutableCollection & RandomAccessCollection>(_ elements: inout C) where C.Index == Int {
        guard elements.count > 1 else { return }
        let first = elements.startIndex
        for i in stride(from: elements.count - 1, to: 0, by: -1) {
            elements.swapAt(first + i, first + integer(upTo: i))
        }
    }

    /// A random ordering of `0..<n`, like `np.random.permutation(n)`.
    public mutating func permutation(_ n: Int) -> [Int] {
        var order = Array(0..<n)
        shuffle(&order)
        return order
    }
}
