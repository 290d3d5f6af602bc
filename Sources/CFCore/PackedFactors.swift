/// One side's factors in 32-bit floats, as the single-precision ALS kernel keeps them.
///
/// Each row (a user or an item) is `stride` floats, a multiple of 8 so that rows are whole SIMD vectors:
/// columns 0..<k hold the factors, column k holds 1 when the model has biases (so a row of the fixed side is
/// the regression's input as it stands: factors, then the bias column), and the rest are 0.
struct PackedFactors: @unchecked Sendable {
    let rows: Int, k: Int, stride: Int, biased: Bool
    var values: [Float]
    var bias: [Float]

    init(_ matrix: Matrix, bias: [Double]?, biased: Bool) {
        rows = matrix.rows
        k = matrix.columns
        stride = (k + (biased ? 1 : 0) + 7) / 8 * 8
        self.biased = biased
        values = [Float](repeating: 0, count: rows * stride)
        for row in 0..<rows {
            for f in 0..<k { values[row * stride + f] = Float(matrix.elements[row * k + f]) }
            if biased { values[row * stride + k] = 1 }
        }
        self.bias = (bias ?? [Double](repeating: 0, count: rows)).map(Float.init)
    }

    /// The factors as a Double matrix.
    var matrix: Matrix {
        var m = Matrix(rows: rows, columns: k)
        for row in 0..<rows { for f in 0..<k { m.elements[row * k + f] = Double(values[row * stride + f]) } }
        return m
    }
}
