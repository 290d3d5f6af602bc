@testable import lesson_4
@testable import lesson_6
@testable import lesson_7
import Testing

@Suite("probe")
struct ProbeTests {
    @Test func probe() {
        #expect(whereTheMinimumLies(best: 0, of: 9).hasPrefix("The smallest value tried wins"))
        #expect(Lesson6.targetReading(u1: 0.91).contains("reaches it"))
        #expect(Lesson7.againstSurprise(chosenU1: 0.93, chosenMean: nil).contains("better by 0.0059"))
    }
}
