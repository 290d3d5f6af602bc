#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    @preconcurrency import Darwin
#endif

/// Makes standard output flush at every line break, also when it is a pipe or a file, where the C library
/// would otherwise hold it back in blocks: `swift run lesson-5 | tee log` then shows the narrative as it
/// happens, and an interrupt loses nothing that was printed.
public func flushStandardOutputByLine() {
    setvbuf(stdout, nil, _IOLBF, 0)
}
