import CFCore
import Testing

/// Expected values come from python3 with numpy 2.4 (legacy np.random, which numpy keeps stable).
/// They must match to the last bit, so equality is exact.
@Suite("RandomState reproduces numpy's RandomState")
struct RandomStateTests {
    @Test("seed 42: the first rand() and the first randn() given in the issue")
    func firstDraws() {
        var a = RandomState(seed: 42)
        #expect(a.rand() == 0.3745401188473625)
        var b = RandomState(seed: 42)
        #expect(b.randn() == 0.4967141530112327)
    }

    @Test("seed 42: np.random.rand(10)")
    func randSequence() {
        var rng = RandomState(seed: 42)
        let expected = [
            0.3745401188473625, 0.9507143064099162, 0.7319939418114051, 0.5986584841970366,
            0.15601864044243652, 0.15599452033620265, 0.05808361216819946, 0.8661761457749352,
            0.6011150117432088, 0.7080725777960455
        ]
        #expect((0..<10).map { _ in rng.rand() } == expected)
    }

    @Test("seed 42: np.random.randn(10), including the cached second value of each pair")
    func randnSequence() {
        var rng = RandomState(seed: 42)
        let expected = [
            0.4967141530112327, -0.13826430117118466, 0.6476885381006925, 1.5230298564080254,
            -0.23415337472333597, -0.23413695694918055, 1.5792128155073915, 0.7674347291529088,
            -0.4694743859349521, 0.5425600435859647
        ]
        #expect((0..<10).map { _ in rng.randn() } == expected)
    }

    @Test("np.random.randn(2, 3) fills row by row")
    func randnMatrix() {
        var rng = RandomState(seed: 42)
        let m = rng.randn(2, 3)
        #expect(
            m.rowArrays == [
                [0.4967141530112327, -0.13826430117118466, 0.6476885381006925],
                [1.5230298564080254, -0.23415337472333597, -0.23413695694918055]
            ])
    }

    @Test("seed 5: np.random.randn(999, 3) past several twists, then the cached second normal and a rand()")
    func largeNormalMatrix() {
        var rng = RandomState(seed: 5)
        let m = rng.randn(999, 3)
        #expect(m.row(998) == [1.8007953295804373, 0.9532140294536326, 0.4544571725023842])
        // 2,997 normals leave the second of a pair cached, which the next randn() returns before rand() draws on.
        #expect(rng.randn() == 1.6087267374560077)
        #expect(rng.rand() == 0.1233980429939101)
    }

    @Test("seed 0: the 2000th rand() (past several twists of the state)")
    func longSequence() {
        var rng = RandomState(seed: 0)
        var last = 0.0
        for _ in 0..<2000 { last = rng.rand() }
        #expect(last == 0.5017731306999452)
    }

    @Test("the largest seed, 2³² − 1")
    func largestSeed() {
        var rng = RandomState(seed: .max)
        #expect(rng.rand() == 0.0976320289940138)
        #expect(rng.randn() == 0.0813036681172692)
    }

    @Test("seed 7: rand() between randn() calls keeps the cached normal, as numpy does")
    func mixedDraws() {
        var rng = RandomState(seed: 7)
        #expect(
            [rng.randn(), rng.rand(), rng.randn(), rng.randn()]
                == [1.690525703800356, 0.9779895119966027, -0.4659373705408328, 0.09316606097975175])
    }

    @Test("seed 3: np.random.permutation(10)")
    func permutation() {
        var rng = RandomState(seed: 3)
        #expect(rng.permutation(10) == [5, 4, 1, 2, 9, 6, 7, 0, 3, 8])
    }
}
