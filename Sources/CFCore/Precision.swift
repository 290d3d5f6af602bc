/// The floating-point type a trainer computes in.
public enum Precision: Sendable, Equatable {
    /// 64-bit: reproduces numpy's numbers.
    case double
    /// 32-bit with SIMD: faster, for large data; agrees with `.double` to a stated tolerance.
    case single
}
