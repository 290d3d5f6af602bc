/// The floating-point type a trainer computes in.
public enum Precision: Sendable, Equatable {
    /// 64-bit: reproduces numpy's numbers.
    case double
    /// 32-bit with SIMD: faster, for large data; agrees with `.double` to a stated tolerance.
    case single
}

/// Whether the core was compiled for the CPU it was built on, with fused multiply-adds (the default; `CF_PORTABLE=1`
/// builds it for any CPU of the architecture instead). cf-bench states the machine's peak for the build it times.
public let coreUsesFusedMultiplyAdd: Bool = {
    #if CF_FMA
        true
    #else
        false
    #endif
}()
