import Foundation

// The layers of the course's small neural networks, each with its forward pass and its backward pass written out.
//
// A network's parameters live in one flat array of Floats; every layer knows where its own part of that array begins
// (its `offset`). The gradients live in an array laid out the same way, so a parameter and its gradient share an index.
//
// Every backward pass follows the chain rule for one example. Given ∂L/∂y, the gradient of the loss with respect to the
// layer's output, it ADDS the gradients of the layer's parameters into the gradient array (so the examples of a
// minibatch accumulate) and WRITES ∂L/∂x, the gradient with respect to the layer's input, for the layer below.
//
// The functions work on raw pointers into preallocated buffers, so a training loop allocates nothing per example.
// Versions on arrays, which allocate, follow at the end of the file for checking and for reading.

/// A lookup table of one vector per user (or per item): the `width` numbers at row `index`.
///
/// Forward, the output is a copy of the row; backward, the gradient of the output is added to that row's gradient
/// and to no other (a lookup is a product with a one-hot vector, whose derivative picks out the same row).
public struct Embedding: Sendable, Equatable {
    /// Whose vectors these are: the users' or the items'.
    public let side: Side
    /// The number of rows (users or items).
    public let rows: Int
    /// The length of each vector.
    public let width: Int
    /// Where the table (rows × width, row by row) starts in the flat parameters.
    public let offset: Int

    /// A table of `rows` vectors of `width` numbers, stored from `offset` on.
    public init(side: Side, rows: Int, width: Int, offset: Int) {
        self.side = side
        self.rows = rows
        self.width = width
        self.offset = offset
    }

    /// How many parameters the table holds.
    public var parameterCount: Int { rows * width }

    /// The index after the table's last parameter.
    public var end: Int { offset + parameterCount }

    /// Forward: copies row `index` into `output` (`width` numbers).
    public func forward(_ index: Int, into output: UnsafeMutablePointer<Float>, parameters: UnsafePointer<Float>) {
        output.update(from: parameters + offset + index * width, count: width)
    }

    /// Backward: adds the gradient of the output to the gradient of row `index`. The lookup has no input to pass a
    /// gradient to (an index is not differentiable).
    public func backward(_ index: Int, outputGradient: UnsafePointer<Float>, gradients: UnsafeMutablePointer<Float>) {
        let row = gradients + offset + index * width
        for f in 0..<width { row[f] += outputGradient[f] }
    }
}

/// A fully connected layer, y = W x + b, with W of `outputs` rows and `inputs` columns.
///
/// Forward, each output is a dot product of a row of W with x, plus its bias. Backward, with g = ∂L/∂y:
///
///     ∂L/∂W[o, j] = g[o] x[j]        ∂L/∂b[o] = g[o]        ∂L/∂x[j] = Σ_o W[o, j] g[o]    (∂L/∂x = Wᵀ g)
///
/// so row o of ∂L/∂W gets g[o] times x, and ∂L/∂x gets g[o] times row o of W. A row with
/// g[o] = 0 (a ReLU above it that was off, about half of them) contributes nothing and is skipped. The dot products and
/// the row updates run on 8 numbers at a time (SIMD).
public struct Dense: Sendable, Equatable {
    /// The length of x.
    public let inputs: Int
    /// The length of y.
    public let outputs: Int
    /// Where W (outputs × inputs, row by row) starts in the flat parameters; b (outputs numbers) follows it.
    public let offset: Int

    /// A layer from `inputs` numbers to `outputs`, its parameters stored from `offset` on.
    public init(inputs: Int, outputs: Int, offset: Int) {
        self.inputs = inputs
        self.outputs = outputs
        self.offset = offset
    }

    /// Where b starts in the flat parameters.
    public var biasOffset: Int { offset + outputs * inputs }
    /// How many parameters the layer holds: W and b.
    public var parameterCount: Int { outputs * (inputs + 1) }
    /// The index after the layer's last parameter.
    public var end: Int { offset + parameterCount }

    /// Forward: y = W x + b.
    ///
    /// When x's length is a multiple of 8, the outputs go 8 at a time (`Vector.dots`), each summed exactly as
    /// `Vector.dot` sums it; the rest one by one.
    public func forward(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, parameters: UnsafePointer<Float>) {
        let w = parameters + offset, b = parameters + biasOffset
        var o = 0
        if inputs % 8 == 0 {
            while o + 8 <= outputs {
                Vector.store(Vector.load(b + o) + Vector.dots(w + o * inputs, x, count: inputs), at: y + o)
                o += 8
            }
        }
        while o < outputs {
            y[o] = b[o] + Vector.dot(w + o * inputs, x, count: inputs)
            o += 1
        }
    }

    /// Backward: adds ∂L/∂W and ∂L/∂b into `gradients` and writes ∂L/∂x into `inputGradient`, given the input x of the
    /// forward pass and g = ∂L/∂y.
    ///
    /// The columns go 32 at a time (then 8, then one by one): that block of x is loaded once, and the same block of
    /// ∂L/∂x is summed in registers over the rows, then stored once. Each number is still summed row after row in the
    /// order of the formulas above, so the result is the same, to the bit, as visiting the whole rows one by one.
    public func backward(
        input x: UnsafePointer<Float>, outputGradient g: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>,
        parameters: UnsafePointer<Float>, gradients: UnsafeMutablePointer<Float>
    ) {
        let w = parameters + offset, gw = gradients + offset, gb = gradients + biasOffset, inputs = inputs
        // First ∂L/∂b, and the list of the rows with g[o] ≠ 0, made without an `if` per row (a ReLU above is on or off
        // at random, and a branch the processor cannot predict costs more than the row it would skip).
        withUnsafeTemporaryAllocation(of: Int.self, capacity: outputs) { active in
            var n = 0
            for o in 0..<outputs {
                gb[o] += g[o]
                active[n] = o
                n += g[o] != 0 ? 1 : 0
            }
            let rows = UnsafeBufferPointer(rebasing: active[..<n])
            typealias V = SIMD8<Float>
            var j = 0
            while j + 32 <= inputs {
                let x0 = Vector.load(x + j), x1 = Vector.load(x + j + 8), x2 = Vector.load(x + j + 16), x3 = Vector.load(x + j + 24)
                var d0 = V(), d1 = V(), d2 = V(), d3 = V()
                for o in rows {
                    let go = V(repeating: g[o]), row = o * inputs + j
                    Vector.store(Vector.load(gw + row) + go * x0, at: gw + row)  // row o of ∂L/∂W += g[o] x
                    Vector.store(Vector.load(gw + row + 8) + go * x1, at: gw + row + 8)
                    Vector.store(Vector.load(gw + row + 16) + go * x2, at: gw + row + 16)
                    Vector.store(Vector.load(gw + row + 24) + go * x3, at: gw + row + 24)
                    d0 = d0 + go * Vector.load(w + row)  // ∂L/∂x += g[o] (row o of W)
                    d1 = d1 + go * Vector.load(w + row + 8)
                    d2 = d2 + go * Vector.load(w + row + 16)
                    d3 = d3 + go * Vector.load(w + row + 24)
                }
                Vector.store(d0, at: inputGradient + j)
                Vector.store(d1, at: inputGradient + j + 8)
                Vector.store(d2, at: inputGradient + j + 16)
                Vector.store(d3, at: inputGradient + j + 24)
                j += 32
            }
            while j + 8 <= inputs {
                let xj = Vector.load(x + j)
                var dj = V()
                for o in rows {
                    let go = V(repeating: g[o]), row = o * inputs + j
                    Vector.store(Vector.load(gw + row) + go * xj, at: gw + row)
                    dj = dj + go * Vector.load(w + row)
                }
                Vector.store(dj, at: inputGradient + j)
                j += 8
            }
            while j < inputs {
                var dj: Float = 0
                for o in rows {
                    gw[o * inputs + j] += g[o] * x[j]
                    dj += g[o] * w[o * inputs + j]
                }
                inputGradient[j] = dj
                j += 1
            }
        }
    }
}

/// The rectifier, y = max(x, 0), element by element. It has no parameters.
///
/// Its derivative is 1 where x > 0 and 0 elsewhere, and x > 0 exactly where y > 0, so the backward pass needs only the
/// output: ∂L/∂x = ∂L/∂y where y > 0, else 0. (At x = 0 exactly the derivative is taken as 0, as PyTorch does.)
public enum ReLU {
    /// Forward: y = max(x, 0). `y` may be `x` itself (in place).
    public static func forward(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        var j = 0
        while j + 8 <= count {  // 8 at a time: the negative lanes replaced by 0
            let v = Vector.load(x + j)
            Vector.store(v.replacing(with: 0, where: v .< 0), at: y + j)
            j += 8
        }
        while j < count {
            y[j] = max(x[j], 0)
            j += 1
        }
    }

    /// Backward: ∂L/∂x from the forward pass's output y and g = ∂L/∂y. `inputGradient` may be `g` itself (in place).
    public static func backward(
        output y: UnsafePointer<Float>, outputGradient g: UnsafePointer<Float>,
        inputGradient: UnsafeMutablePointer<Float>, count: Int
    ) {
        var j = 0
        while j + 8 <= count {  // 8 at a time: g where y > 0, else 0
            Vector.store(SIMD8<Float>().replacing(with: Vector.load(g + j), where: Vector.load(y + j) .> 0), at: inputGradient + j)
            j += 8
        }
        while j < count {
            inputGradient[j] = y[j] > 0 ? g[j] : 0
            j += 1
        }
    }
}

/// The element-wise product of two vectors, y = a ⊙ b (NeuMF's GMF branch: y[f] = p_u[f] q_i[f]). No parameters.
///
/// Backward, with g = ∂L/∂y: ∂L/∂a = g ⊙ b and ∂L/∂b = g ⊙ a (each factor's derivative is the other factor).
public enum ElementwiseProduct {
    /// Forward: y[f] = a[f] b[f].
    public static func forward(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        for f in 0..<count { y[f] = a[f] * b[f] }
    }

    /// Backward: ∂L/∂a into `aGradient` and ∂L/∂b into `bGradient`, from the inputs and g = ∂L/∂y.
    public static func backward(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, outputGradient g: UnsafePointer<Float>,
        aGradient: UnsafeMutablePointer<Float>, bGradient: UnsafeMutablePointer<Float>, count: Int
    ) {
        for f in 0..<count {
            aGradient[f] = g[f] * b[f]
            bGradient[f] = g[f] * a[f]
        }
    }
}

/// A sigmoid stretched onto a range: y = low + (high − low) σ(x), with σ(x) = 1 / (1 + e^−x). It has no parameters.
///
/// It keeps every prediction inside (low, high) however large the network's output grows. fast.ai's `sigmoid_range`
/// (its `y_range`) puts a rating model's last number through it, with the range a little wider than the rating scale,
/// 0.5...5.5 for ratings of 1 to 5 stars: σ only approaches 0 and 1, so with the range exactly 1...5 a rating of 5 (or 1)
/// would need an infinite input to be predicted, and every 5 in the data would keep pushing its logit, and the weights
/// behind it, further out. With half a star of margin, 5 is reached at a finite input (σ(x) = 0.9, x = ln 9 ≈ 2.2).
///
/// Its derivative, (high − low) σ(x) (1 − σ(x)), is written with the output alone:
/// ∂y/∂x = (y − low)(high − y) / (high − low).
public struct SigmoidRange: Sendable, Equatable {
    /// The value approached as x → −∞.
    public let low: Float
    /// The value approached as x → +∞.
    public let high: Float

    /// The sigmoid stretched onto `range` (e.g. 0.5...5.5 for ratings of 1 to 5).
    public init(_ range: ClosedRange<Double>) {
        require(range.upperBound > range.lowerBound, "a sigmoid range needs high > low, not \(range)")
        low = Float(range.lowerBound)
        high = Float(range.upperBound)
    }

    /// Forward: low + (high − low) σ(x).
    public func forward(_ x: Float) -> Float {
        low + (high - low) / (1 + exp(-x))
    }

    /// Backward: ∂L/∂x = ∂L/∂y · (y − low)(high − y) / (high − low), from the forward pass's output y.
    public func backward(output y: Float, outputGradient g: Float) -> Float {
        g * (y - low) * (high - y) / (high - low)
    }
}

/// The vector kernels of the layers: 8 numbers at a time with SIMD, then the rest one by one.
enum Vector {
    /// Σ a[j] b[j] for j < count (in four running sums of 8 numbers, so that the additions need not wait for each other).
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        // The 8 lanes added in halves: 8 → 4 → 2 → 1 (SIMD8's own sum() goes lane by lane).
        let eight = lanes(a, b, count: count), four = eight.lowHalf + eight.highHalf, two = four.lowHalf + four.highHalf
        var sum = two[0] + two[1], j = count - count % 8
        while j + 4 <= count {
            sum += (a[j] * b[j] + a[j + 1] * b[j + 1]) + (a[j + 2] * b[j + 2] + a[j + 3] * b[j + 3])
            j += 4
        }
        while j < count {
            sum += a[j] * b[j]
            j += 1
        }
        return sum
    }

    /// The sum of a[j] b[j] over j below `count` rounded down to a multiple of 8, in 8 lanes: four running sums of 8
    /// numbers over blocks of 32, the first of them also over the blocks of 8 left, added as (s0 + s1) + (s2 + s3).
    @inline(__always) static func lanes(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> SIMD8<Float> {
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>(), j = 0
        while j + 32 <= count {
            s0 += load(a + j) * load(b + j)
            s1 += load(a + j + 8) * load(b + j + 8)
            s2 += load(a + j + 16) * load(b + j + 16)
            s3 += load(a + j + 24) * load(b + j + 24)
            j += 32
        }
        while j + 8 <= count {
            s0 += load(a + j) * load(b + j)
            j += 8
        }
        return (s0 + s1) + (s2 + s3)
    }

    /// The dot products of 8 rows with b, the rows `count` apart from `a` on, for a `count` that is a multiple of 8: each
    /// summed as `dot` sums it, in 8 lanes, then 8 → 4 → 2 → 1, but the last three steps taken for the 8 rows at once.
    static func dots(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> SIMD8<Float> {
        /// 8 → 4 for two rows: [e.lowHalf + e.highHalf, f.lowHalf + f.highHalf].
        @inline(__always) func halve(_ e: SIMD8<Float>, _ f: SIMD8<Float>) -> SIMD8<Float> {
            SIMD8(lowHalf: e.lowHalf, highHalf: f.lowHalf) + SIMD8(lowHalf: e.highHalf, highHalf: f.highHalf)
        }
        /// 4 → 2 for four rows, from [A, B] and [C, D] (4 numbers each): [A[0] + A[2], A[1] + A[3], B…, C…, D…]. The
        /// halves of A are its pairs of lanes, moved as one 64-bit number each.
        @inline(__always) func halvePairs(_ ab: SIMD8<Float>, _ cd: SIMD8<Float>) -> SIMD8<Float> {
            let x = unsafeBitCast(ab, to: SIMD4<UInt64>.self), y = unsafeBitCast(cd, to: SIMD4<UInt64>.self)
            return unsafeBitCast(SIMD4(lowHalf: x.evenHalf, highHalf: y.evenHalf), to: SIMD8<Float>.self)
                + unsafeBitCast(SIMD4(lowHalf: x.oddHalf, highHalf: y.oddHalf), to: SIMD8<Float>.self)
        }
        let e0 = lanes(a, b, count: count), e1 = lanes(a + count, b, count: count)
        let e2 = lanes(a + 2 * count, b, count: count), e3 = lanes(a + 3 * count, b, count: count)
        let e4 = lanes(a + 4 * count, b, count: count), e5 = lanes(a + 5 * count, b, count: count)
        let e6 = lanes(a + 6 * count, b, count: count), e7 = lanes(a + 7 * count, b, count: count)
        let first = halvePairs(halve(e0, e1), halve(e2, e3)), second = halvePairs(halve(e4, e5), halve(e6, e7))
        // 2 → 1: the two numbers of each row's pair.
        return SIMD8(lowHalf: first.evenHalf, highHalf: second.evenHalf) + SIMD8(lowHalf: first.oddHalf, highHalf: second.oddHalf)
    }

    /// y[j] += alpha x[j] for j < count.
    static func add(_ alpha: Float, times x: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, count: Int) {
        let a = SIMD8<Float>(repeating: alpha)
        var j = 0
        while j + 8 <= count {
            store(load(UnsafePointer(y + j)) + a * load(x + j), at: y + j)
            j += 8
        }
        while j < count {
            y[j] += alpha * x[j]
            j += 1
        }
    }

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always) static func load(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> { load(UnsafePointer(p)) }

    @inline(__always) static func store(_ v: SIMD8<Float>, at p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }
}

// Initial values, drawn in order from the seeded generator (numpy's `randn`), and a table read out as a matrix.

extension Embedding {
    /// Fills the table with normal draws of standard deviation `deviation`, row by row.
    func initialize(_ parameters: inout [Float], deviation: Double, rng: inout RandomState) {
        for index in offset..<end { parameters[index] = Float(deviation * rng.randn()) }
    }
}

extension Dense {
    /// He initialization for a layer followed by a ReLU: W normal with standard deviation √(2 / inputs), row by row,
    /// and b = 0.
    func initialize(_ parameters: inout [Float], rng: inout RandomState) {
        let deviation = (2 / Double(inputs)).squareRoot()
        for index in offset..<biasOffset { parameters[index] = Float(deviation * rng.randn()) }
        for index in biasOffset..<end { parameters[index] = 0 }
    }
}

extension Embedding {
    /// The table as a matrix (rows × width), read from `parameters`.
    func matrix(_ parameters: [Float]) -> Matrix {
        Matrix(rows: rows, columns: width) { row, column in Double(parameters[offset + row * width + column]) }
    }
}

// The same passes on arrays, for checking a layer by hand or by finite differences. Each call allocates its results:
// training uses the pointer versions above.

extension Embedding {
    /// Forward: row `index` of the table in `parameters`.
    public func forward(_ index: Int, parameters: [Float]) -> [Float] {
        Array(parameters[(offset + index * width)..<(offset + (index + 1) * width)])
    }

    /// Backward: the gradient of every parameter (zero outside row `index`) given ∂L/∂y.
    public func backward(_ index: Int, outputGradient: [Float], parameterCount: Int) -> [Float] {
        require(outputGradient.count == width, "the output gradient of an embedding of width \(width) has \(width) numbers")
        var gradients = [Float](repeating: 0, count: parameterCount)
        gradients.withUnsafeMutableBufferPointer { backward(index, outputGradient: outputGradient, gradients: $0.baseAddress!) }
        return gradients
    }
}

extension Dense {
    /// Forward: W x + b, with W and b read from `parameters`.
    public func forward(_ x: [Float], parameters: [Float]) -> [Float] {
        require(x.count == inputs && parameters.count >= end, "a dense layer \(inputs) → \(outputs) needs \(inputs) inputs and its parameters")
        var y = [Float](repeating: 0, count: outputs)
        y.withUnsafeMutableBufferPointer { forward(x, into: $0.baseAddress!, parameters: parameters) }
        return y
    }

    /// Backward: the gradient of every parameter (zero outside this layer's) and ∂L/∂x, given x and ∂L/∂y.
    public func backward(input x: [Float], outputGradient g: [Float], parameters: [Float]) -> (parameters: [Float], input: [Float]) {
        require(x.count == inputs && g.count == outputs && parameters.count >= end, "a dense layer \(inputs) → \(outputs): shapes do not match")
        var gradients = [Float](repeating: 0, count: parameters.count), inputGradient = [Float](repeating: 0, count: inputs)
        gradients.withUnsafeMutableBufferPointer { gp in
            inputGradient.withUnsafeMutableBufferPointer { gx in
                backward(input: x, outputGradient: g, inputGradient: gx.baseAddress!, parameters: parameters, gradients: gp.baseAddress!)
            }
        }
        return (gradients, inputGradient)
    }
}

extension ReLU {
    /// Forward: max(x, 0) for each number.
    public static func forward(_ x: [Float]) -> [Float] { x.map { max($0, 0) } }

    /// Backward: ∂L/∂x from the output y and ∂L/∂y.
    public static func backward(output y: [Float], outputGradient g: [Float]) -> [Float] {
        zip(y, g).map { $0 > 0 ? $1 : 0 }
    }
}

extension ElementwiseProduct {
    /// Forward: a ⊙ b.
    public static func forward(_ a: [Float], _ b: [Float]) -> [Float] {
        require(a.count == b.count, "an element-wise product of vectors of \(a.count) and \(b.count) numbers")
        return zip(a, b).map { $0 * $1 }
    }

    /// Backward: (∂L/∂a, ∂L/∂b) from the inputs and ∂L/∂y.
    public static func backward(_ a: [Float], _ b: [Float], outputGradient g: [Float]) -> (a: [Float], b: [Float]) {
        (zip(g, b).map { $0 * $1 }, zip(g, a).map { $0 * $1 })
    }
}
