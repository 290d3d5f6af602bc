/// A dense matrix of `Double`s stored row by row in one contiguous array.
///
/// Only what the lessons need: shape, subscripts, rows and columns, the matrix product, the transpose
/// and element-wise arithmetic. Shapes that do not fit are programming mistakes and stop with a
/// precondition failure that names both shapes.
public struct Matrix: Equatable, Sendable, CustomStringConvertible {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// The entries, row after row: entry (i, j) is at `i * columns + j`. Writable only inside the core, so that no
    /// change from outside can break rows × columns: entries change through the subscript, `setRow` or `update`. (A
    /// stored property, so that reading an entry in a loop is a load, not a call: debug builds do not inline across files.)
    public internal(set) var elements: [Double]

    /// Entry `index` of `elements` set to `value`: what the inlinable subscript's setter calls.
    @usableFromInline mutating func setElement(_ index: Int, to value: Double) { elements[index] = value }

    /// A `rows × columns` matrix with every entry equal to `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        require(rows >= 0 && columns >= 0, "a matrix cannot have a negative size")
        self.rows = rows
        self.columns = columns
        self.elements = Array(repeating: value, count: rows * columns)
    }

    /// A `rows × columns` matrix from its entries listed row by row.
    public init(rows: Int, columns: Int, elements: [Double]) {
        require(
            elements.count == rows * columns,
            "\(elements.count) entries cannot fill a \(rows)×\(columns) matrix")
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// A matrix from an array of rows, all of the same length.
    public init(_ rowArrays: [[Double]]) {
        let columns = rowArrays.first?.count ?? 0
        require(rowArrays.allSatisfy { $0.count == columns }, "the rows have different lengths")
        self.init(rows: rowArrays.count, columns: columns, elements: rowArrays.flatMap { $0 })
    }

    /// A matrix whose entry (i, j) is `entry(i, j)`.
    public init(rows: Int, columns: Int, entry: (Int, Int) -> Double) {
        var elements = [Double]()
        elements.reserveCapacity(rows * columns)
        for i in 0..<rows {
            for j in 0..<columns { elements.append(entry(i, j)) }
        }
        self.init(rows: rows, columns: columns, elements: elements)
    }

    /// The `n × n` identity matrix.
    public static func identity(_ n: Int) -> Matrix {
        Matrix(rows: n, columns: n) { i, j in i == j ? 1 : 0 }
    }

    /// The entry in row `i`, column `j` (both counted from 0).
    @inlinable
    public subscript(i: Int, j: Int) -> Double {
        get {
            require(i >= 0 && i < rows && j >= 0 && j < columns, "index (\(i), \(j)) is outside \(rows)×\(columns)")
            return elements[i * columns + j]
        }
        set {
            require(i >= 0 && i < rows && j >= 0 && j < columns, "index (\(i), \(j)) is outside \(rows)×\(columns)")
            setElement(i * columns + j, to: newValue)
        }
    }

    /// Row `i` as an array.
    public func row(_ i: Int) -> [Double] {
        require(i >= 0 && i < rows, "row \(i) is outside 0..<\(rows)")
        return Array(elements[(i * columns)..<((i + 1) * columns)])
    }

    /// Column `j` as an array.
    public func column(_ j: Int) -> [Double] {
        require(j >= 0 && j < columns, "column \(j) is outside 0..<\(columns)")
        return (0..<rows).map { elements[$0 * columns + j] }
    }

    /// Replaces every entry by `transform(index, entry)`, where index is the entry's place in `elements`: an update in
    /// place (a gradient step, say) without a copy of the matrix.
    public mutating func update(_ transform: (Int, Double) -> Double) {
        elements.withUnsafeMutableBufferPointer { values in
            for index in values.indices { values[index] = transform(index, values[index]) }
        }
    }

    /// Replaces row `i` with `values`.
    public mutating func setRow(_ i: Int, to values: [Double]) {
        require(values.count == columns, "a row of \(values.count) values does not fit \(columns) columns")
        elements.replaceSubrange((i * columns)..<((i + 1) * columns), with: values)
    }

    /// The rows as an array of arrays.
    public var rowArrays: [[Double]] { (0..<rows).map(row) }

    /// The transpose: entry (i, j) of the result is entry (j, i) of this matrix.
    public var transposed: Matrix {
        Matrix(rows: columns, columns: rows) { i, j in elements[j * columns + i] }
    }

    /// The matrix product `a · b`.
    public static func * (a: Matrix, b: Matrix) -> Matrix {
        require(a.columns == b.rows, "cannot multiply \(a.rows)×\(a.columns) by \(b.rows)×\(b.columns)")
        var result = [Double](repeating: 0, count: a.rows * b.columns)
        a.elements.withUnsafeBufferPointer { x in
            b.elements.withUnsafeBufferPointer { y in
                result.withUnsafeMutableBufferPointer { out in
                    for i in 0..<a.rows {
                        for p in 0..<a.columns {
                            let aip = x[i * a.columns + p]
                            // i-p-j order walks both b's row and the result's row contiguously.
                            for j in 0..<b.columns { out[i * b.columns + j] += aip * y[p * b.columns + j] }
                        }
                    }
                }
            }
        }
        return Matrix(rows: a.rows, columns: b.columns, elements: result)
    }

    /// The matrix-vector product `a · x`.
    public static func * (a: Matrix, x: [Double]) -> [Double] {
        require(a.columns == x.count, "cannot multiply \(a.rows)×\(a.columns) by a vector of \(x.count)")
        return (0..<a.rows).map { i in dot(a.elements[(i * a.columns)..<((i + 1) * a.columns)], x) }
    }

    /// Element-wise sum.
    public static func + (a: Matrix, b: Matrix) -> Matrix { a.combined(with: b, +) }
    /// Element-wise difference.
    public static func - (a: Matrix, b: Matrix) -> Matrix { a.combined(with: b, -) }
    /// Every entry multiplied by `s`.
    public static func * (s: Double, a: Matrix) -> Matrix { a.map { s * $0 } }

    /// The element-wise (Hadamard) product.
    public func hadamard(_ other: Matrix) -> Matrix { combined(with: other, *) }

    /// A matrix of the same shape with `transform` applied to every entry.
    public func map(_ transform: (Double) -> Double) -> Matrix {
        Matrix(rows: rows, columns: columns, elements: elements.map(transform))
    }

    /// Combines two matrices of the same shape entry by entry.
    public func combined(with other: Matrix, _ combine: (Double, Double) -> Double) -> Matrix {
        require(
            rows == other.rows && columns == other.columns,
            "shapes \(rows)×\(columns) and \(other.rows)×\(other.columns) differ")
        return Matrix(rows: rows, columns: columns, elements: zip(elements, other.elements).map(combine))
    }

    /// The sum of the squares of all entries (the squared Frobenius norm).
    public var sumOfSquares: Double { elements.reduce(0) { $0 + $1 * $1 } }

    public var description: String {
        rowArrays.map { "[" + $0.map { "\($0)" }.joined(separator: ", ") + "]" }.joined(separator: "\n")
    }
}

/// The dot product of two vectors of the same length: the sum of their element-wise products.
///
/// Contiguous vectors (arrays, their slices, a matrix's rows) are read through their buffers, so that the loop is the
/// same tight loop whether or not the caller's compiler specialized this generic function (an unspecialized `zip` asks
/// the runtime for type metadata at every element, which made the debug builds of lessons 8 and 9 several times slower).
@inlinable
public func dot<A: Collection<Double>, B: Collection<Double>>(_ a: A, _ b: B) -> Double {
    require(a.count == b.count, "cannot take the dot product of vectors of \(a.count) and \(b.count)")
    if let sum = a.withContiguousStorageIfAvailable({ x in b.withContiguousStorageIfAvailable { y in dot(x, y) } }) ?? nil {
        return sum
    }
    var sum = 0.0
    for (x, y) in zip(a, b) { sum += x * y }
    return sum
}

/// The dot product of two arrays of the same length (see the generic `dot`).
@inlinable
public func dot(_ a: [Double], _ b: [Double]) -> Double {
    require(a.count == b.count, "cannot take the dot product of vectors of \(a.count) and \(b.count)")
    return a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in dot(x, y) } }
}

/// The dot product of two buffers of the same length, in index order.
@inlinable
public func dot(_ x: UnsafeBufferPointer<Double>, _ y: UnsafeBufferPointer<Double>) -> Double {
    var sum = 0.0
    for i in 0..<min(x.count, y.count) { sum += x[i] * y[i] }
    return sum
}
