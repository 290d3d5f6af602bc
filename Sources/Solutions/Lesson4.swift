// Worked solution of lesson 4's exercise. Try it yourself first, in Lessons/lesson-4/Cells.swift.
import CFCore

/// Lesson 4: the notebook's SGD.
public struct Lesson4Solutions: Sendable {
    /// The worked solutions, as a set of cells (`--solutions`).
    public init() {}

    /// One epoch: for each observed cell (i, j) in row-major order,
    ///
    ///     err  = R[i, j] − U[i] · V[j]
    ///     U[i] += lr · (err · V[j] − reg · U[i])
    ///     V[j] += lr · (err · U[i] − reg · V[j])      with the U[i] just updated
    public func sgdEpoch(_ observed: Ratings, u: inout Matrix, v: inout Matrix, learningRate lr: Double, reg: Double) throws {
        let k = u.columns
        for cell in observed.entries {
            let i = cell.user, j = cell.item
            var prediction = 0.0
            for f in 0..<k { prediction += u[i, f] * v[j, f] }
            let err = cell.value - prediction
            for f in 0..<k { u[i, f] += lr * (err * v[j, f] - reg * u[i, f]) }
            for f in 0..<k { v[j, f] += lr * (err * u[i, f] - reg * v[j, f]) }
        }
    }
}
