import CFCore
import Foundation
import MovieLens
import TestSupport
import Testing

@Suite("sampling a data set by users")
struct SamplingTests {
    @Test(
        """
        whole users drawn until the budget is reached: each kept user keeps every rating with its id, movie id and value; \
        only rated movies stay, with their titles; the same seed gives the same sample, another seed another; no folds
        """)
    func byUsers() throws {
        let folder = try writeLatestSmall()
        defer { try? FileManager.default.removeItem(at: folder) }
        let whole = try MovieLens.load(from: folder)
        let sample = try whole.sampledUsers(toAbout: 1000, seed: 3)
        let largestUser = (0..<whole.ratings.userCount).map { whole.ratings.ratings(ofUser: $0).count }.max()!
        #expect(sample.ratings.count >= 1000 && sample.ratings.count < 1000 + largestUser)
        #expect(sample.sampledFrom?.ratings == whole.ratings.count && sample.sampledFrom?.users == whole.ratings.userCount)
        // Every kept user's ratings, by MovieLens ids, are exactly their ratings in the whole data set.
        func byID(_ m: MovieLens, user: Int) -> [Int: Double] {
            Dictionary(uniqueKeysWithValues: m.ratings.ratings(ofUser: user).map { (m.movieIDs[$0.item], $0.value) })
        }
        for user in 0..<sample.ratings.userCount {
            let original = try #require(whole.userIndex(id: sample.userIDs[user]))
            #expect(byID(sample, user: user) == byID(whole, user: original))
        }
        #expect((0..<sample.ratings.itemCount).allSatisfy { !sample.ratings.ratings(ofItem: $0).isEmpty })
        for movie in 0..<sample.ratings.itemCount {
            #expect(sample.titles[movie] == whole.titles[whole.movieIndex(id: sample.movieIDs[movie])!])
        }
        #expect(try sample.sampledUsers(toAbout: 1000, seed: 3).ratings.count == sample.ratings.count, "a sample within budget is kept whole")
        #expect(try whole.sampledUsers(toAbout: 1000, seed: 3).userIDs == sample.userIDs)
        #expect(try whole.sampledUsers(toAbout: 1000, seed: 4).userIDs != sample.userIDs)
        #expect(try whole.sampledUsers(toAbout: whole.ratings.count, seed: 3).sampledFrom == nil, "not sampled at or under the budget")
    }

    @Test("a sample of MovieLens 100K is not split by its official folds (their users are not the sample's)")
    func noFolds() throws {
        let folder = try writeSmallMovieLens()
        defer { try? FileManager.default.removeItem(at: folder) }
        let whole = try MovieLens.load(from: folder)
        #expect(try whole.hasFold(1))
        let sample = try whole.sampledUsers(toAbout: whole.ratings.count / 2, seed: 1)
        #expect(try !sample.hasFold(1))
    }
}
