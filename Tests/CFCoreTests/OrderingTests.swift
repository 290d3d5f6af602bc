import CFCore
import Testing

@Suite("orderings and bounds written once")
struct OrderingTests {
    @Test("ranked: largest first, ties by the smaller index; smallest first on request")
    func rankedOrder() {
        let values = [2.0, 5.0, 2.0, 7.0, 5.0]
        #expect(values.indicesRanked() == [3, 1, 4, 0, 2])
        #expect(values.indicesRanked(descending: false) == [0, 2, 1, 4, 3])
        #expect(ranked([4, 0, 2], by: { values[$0] }) == [4, 0, 2])
        #expect(ranked([Int](), by: { values[$0] }).isEmpty)
    }

    @Test("clamp brings a score onto the rating scale and leaves one on it alone")
    func clamp() {
        let scale: ClosedRange<Double> = 1...5
        #expect(scale.clamp(5.25) == 5 && scale.clamp(-0.5) == 1 && scale.clamp(3.7) == 3.7)
    }
}
