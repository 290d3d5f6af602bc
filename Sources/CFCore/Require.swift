/// Stops the program with `message` when `condition` is false: the core's checks of shapes and indices.
///
/// Unlike `precondition`, whose message an optimized build drops ("Swift runtime failure: precondition failure"),
/// this keeps it in every build, so a learner whose cell multiplies a 3×4 by a 6×3 matrix reads "cannot multiply 3×4 by
/// 6×3" and the place in their code. The message is built only when the check fails.
/// Transparent, so that it is inlined at every call even from another file of a build without whole-module optimization.
@_transparent @usableFromInline
func require(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) {
    if _slowPath(!condition()) { fatalError(message(), file: file, line: line) }
}
