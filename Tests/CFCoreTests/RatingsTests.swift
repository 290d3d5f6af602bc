import CFCore
import Testing

@Suite("Ratings")
struct RatingsTests {
    let dense: [[Double?]] = [
        [5, nil, 3],
        [nil, 4, nil],
        [1, 2, nil]
    ]

    @Test("from a dense matrix with missing cells")
    func fromDense() throws {
        let r = try Ratings(dense: dense)
        #expect(r.userCount == 3 && r.itemCount == 3 && r.count == 5)
        #expect(r.value(user: 0, item: 2) == 3)
        #expect(r.value(user: 0, item: 1) == nil)
        #expect(r.dense == dense)
        #expect(r.mean == 3)
        #expect(abs(r.density - 5.0 / 9) < 1e-15)
    }

    @Test("iterable by user (sorted by item) and by item (sorted by user)")
    func iteration() throws {
        let r = try Ratings(
            userCount: 3, itemCount: 3,
            triples: [(2, 1, 2), (0, 2, 3), (1, 1, 4), (0, 0, 5), (2, 0, 1)])
        #expect(r.ratings(ofUser: 0).map(\.item) == [0, 2])
        #expect(r.ratings(ofUser: 1).map(\.value) == [4])
        #expect(r.ratings(ofItem: 0).map(\.user) == [0, 2])
        #expect(r.ratings(ofItem: 1).map(\.value) == [4, 2])
        #expect(r.ratings(ofItem: 2).count == 1)
        #expect(r.entries.map { [$0.user, $0.item] } == [[0, 0], [0, 2], [1, 1], [2, 0], [2, 1]])
    }

    @Test("a user or item with no ratings has an empty slice")
    func emptyRows() throws {
        let r = try Ratings(userCount: 3, itemCount: 4, triples: [(1, 2, 4)])
        #expect(r.ratings(ofUser: 0).isEmpty && r.ratings(ofUser: 2).isEmpty)
        #expect(r.ratings(ofItem: 3).isEmpty)
    }

    @Test("errors: empty, out of range, duplicate, not finite")
    func errors() {
        #expect(throws: RatingsError.empty) { try Ratings(userCount: 2, itemCount: 2, triples: []) }
        #expect(throws: RatingsError.empty) { try Ratings(dense: [[nil, nil]]) }
        #expect(throws: RatingsError.outOfRange(user: 2, item: 0, users: 2, items: 2)) {
            try Ratings(userCount: 2, itemCount: 2, triples: [(2, 0, 1)])
        }
        #expect(throws: RatingsError.outOfRange(user: 0, item: -1, users: 2, items: 2)) {
            try Ratings(userCount: 2, itemCount: 2, triples: [(0, -1, 1)])
        }
        #expect(throws: RatingsError.duplicate(user: 1, item: 1)) {
            try Ratings(userCount: 2, itemCount: 2, triples: [(1, 1, 1), (0, 0, 2), (1, 1, 3)])
        }
        #expect(throws: RatingsError.notFinite(user: 0, item: 1)) {
            try Ratings(userCount: 2, itemCount: 2, triples: [(0, 1, .nan)])
        }
    }
}
