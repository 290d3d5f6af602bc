import CFCore
import Testing

@Suite("Matrix")
struct MatrixTests {
    let a = Matrix([[1, 2, 3], [4, 5, 6]])

    @Test("shape, subscripts, rows and columns")
    func shapeAndAccess() {
        #expect(a.rows == 2 && a.columns == 3)
        #expect(a[1, 2] == 6)
        #expect(a.row(1) == [4, 5, 6])
        #expect(a.column(1) == [2, 5])
        var b = a
        b[0, 0] = 9
        b.setRow(1, to: [7, 8, 9])
        #expect(b.rowArrays == [[9, 2, 3], [7, 8, 9]])
    }

    @Test("product against a hand-computed result")
    func product() {
        let b = Matrix([[1, 0], [0, 1], [2, -1]])
        // [1·1+2·0+3·2, 1·0+2·1+3·(−1)] = [7, −1]; [4+0+12, 0+5−6] = [16, −1]
        #expect((a * b).rowArrays == [[7, -1], [16, -1]])
        #expect(a * [1, 1, 1] == [6, 15])
        #expect(Matrix.identity(2) * a == a)
    }

    @Test("transpose")
    func transpose() {
        #expect(a.transposed.rowArrays == [[1, 4], [2, 5], [3, 6]])
        #expect(a.transposed.transposed == a)
    }

    @Test("element-wise operations")
    func elementWise() {
        #expect((a + a).rowArrays == [[2, 4, 6], [8, 10, 12]])
        #expect((a - a) == Matrix(rows: 2, columns: 3))
        #expect((0.5 * a).rowArrays == [[0.5, 1, 1.5], [2, 2.5, 3]])
        #expect(a.hadamard(a).rowArrays == [[1, 4, 9], [16, 25, 36]])
        #expect(a.sumOfSquares == 91)
    }

    @Test("dot product")
    func dotProduct() {
        #expect(dot([0.9, -0.6, 0.8], [1, 1, 1]) == 0.9 - 0.6 + 0.8)
        #expect(dot([1, 2, 3], [4, 5, 6]) == 32)
    }
}
