import CFCore
import Foundation
@testable import MovieLens
import TestSupport
import Testing

/// The sizes are small (20,000 to 25,000 ratings, a fraction of a second each): the generator is the same code at every
/// size, and the tests run in debug builds.
@Suite("generated data sets of MovieLens' shapes (--write-shape)")
struct ShapeTests {
    @Test("the published counts (25M: 59,047 rated movies), and the fraction scaling all three")
    func counts() throws {
        #expect(MovieLensShape.ml25M == MovieLensShape(name: "25M", users: 162_541, movies: 59_047, ratings: 25_000_095))
        #expect(MovieLensShape.named("25m") == .ml25M && MovieLensShape.named("50M") == nil)
        #expect(try MovieLensShape.ml25M.scaled(by: 1) == .ml25M)
        let hundredth = try MovieLensShape.ml25M.scaled(by: 0.01)
        #expect(hundredth.users == 1_625 && hundredth.movies == 590 && hundredth.ratings == 250_001)
        // At 0.001 the average user's 154 ratings would not fit in 59 movies: the movies are raised to twice that.
        let thousandth = try MovieLensShape.ml25M.scaled(by: 0.001)
        #expect(thousandth.users == 163 && thousandth.movies == 307 && thousandth.ratings == 25_000)
        for bad in [0, -0.1, 1.5, .nan, 1e-6] {
            #expect(throws: MovieLensShapeError.self) { try MovieLensShape.ml25M.scaled(by: bad) }
        }
    }

    @Test("the loader reads what it writes: latest-small's format, the counts exactly, half stars, 20 ratings or more per user")
    func readsBack() throws {
        let folder = temporaryPath("cf-shape")
        defer { try? FileManager.default.removeItem(at: folder) }
        let counts = try MovieLens.writeShaped(.ml25M, fraction: 0.001, seed: 7, to: folder)
        let data = try MovieLens.load(from: folder)
        #expect(data.format == .latestSmall)
        #expect(data.ratings.userCount == counts.users && data.ratings.itemCount == counts.movies && data.ratings.count == counts.ratings)
        #expect(data.times?.count == counts.ratings)
        let values = data.ratings.entries.map(\.value)
        #expect(values.allSatisfy { (0.5...5).contains($0) && ($0 * 2).rounded() == $0 * 2 })
        #expect(Set(values).count == 10, "every half star from 0.5 to 5 is given")
        #expect((0..<data.ratings.userCount).allSatisfy { data.ratings.ratings(ofUser: $0).count >= 20 })
        // A title with a comma is quoted in movies.csv and read back whole.
        #expect(data.titles.contains { $0.hasPrefix("Generated Movie 4, The (") })
        #expect(MovieLens.holdsShaped(.ml25M, fraction: 0.001, seed: 7, at: folder))
        #expect(!MovieLens.holdsShaped(.ml25M, fraction: 0.001, seed: 8, at: folder))
    }

    @Test("proportions like MovieLens': the mean rating, the share of half stars, long-tailed activity, power-law popularity")
    func proportions() throws {
        // 100K at 0.2 keeps the proportions exactly (no movies added): 189 users, 336 movies, 20,000 ratings.
        let folder = temporaryPath("cf-shape")
        defer { try? FileManager.default.removeItem(at: folder) }
        let counts = try MovieLens.writeShaped(.ml100K, fraction: 0.2, seed: 42, to: folder)
        #expect(counts.users == 189 && counts.movies == 336 && counts.ratings == 20_000)
        let ratings = try MovieLens.load(from: folder).ratings
        let values = ratings.entries.map(\.value)
        // MovieLens 25M: mean 3.53, 29% of its ratings in half stars. Tolerances: mean within ±0.25, half stars 15–40%.
        let mean = values.reduce(0, +) / Double(values.count)
        let halves = Double(values.filter { $0 != $0.rounded() }.count) / Double(values.count)
        #expect(abs(mean - 3.53) <= 0.25, "mean \(mean)")
        #expect((0.15...0.40).contains(halves), "half stars \(halves)")
        // Whole stars: 4 the most given, as in every MovieLens.
        let byValue = Dictionary(grouping: values, by: { $0 }).mapValues(\.count)
        #expect(byValue.max { $0.value < $1.value }?.key == 4)
        // Activity: a long tail, the mean above the median and the busiest user at least 3 times the median.
        let activity = (0..<ratings.userCount).map { ratings.ratings(ofUser: $0).count }.sorted()
        let median = activity[activity.count / 2], average = Double(ratings.count) / Double(activity.count)
        #expect(Double(median) < average && activity.last! >= 3 * median, "median \(median), mean \(average), most \(activity.last!)")
        // Popularity: the most rated tenth of the movies hold at least 1.8 times their even share (18%; 21% here, where
        // 31% of the cells are filled and no movie can have more ratings than there are users), and the most rated movie
        // has at least 2.5 times the ratings of the median one.
        let popularity = (0..<ratings.itemCount).map { ratings.ratings(ofItem: $0).count }.sorted(by: >)
        let top = popularity.prefix(popularity.count / 10).reduce(0, +)
        #expect(Double(top) >= 0.18 * Double(ratings.count), "top tenth: \(top) of \(ratings.count)")
        #expect(popularity[0] >= 5 * popularity[popularity.count / 2] / 2, "most \(popularity[0]), median \(popularity[popularity.count / 2])")
    }

    @Test("same seed, same bytes; another seed, other ratings")
    func determinism() throws {
        let folders = (0..<3).map { _ in temporaryPath("cf-shape") }
        defer { for folder in folders { try? FileManager.default.removeItem(at: folder) } }
        for (folder, seed) in zip(folders, [42, 42, 43] as [UInt32]) { try MovieLens.writeShaped(.ml1M, fraction: 0.02, seed: seed, to: folder) }
        func bytes(_ folder: URL, _ name: String) throws -> Data { try Data(contentsOf: folder.appendingPathComponent(name)) }
        for name in ["ratings.csv", "movies.csv", MovieLens.generatedMarker] {
            #expect(try bytes(folders[0], name) == bytes(folders[1], name), "\(name) differs between two runs with seed 42")
        }
        #expect(try bytes(folders[0], "ratings.csv") != bytes(folders[2], "ratings.csv"))
    }

    @Test("a folder it did not write is never replaced; one it wrote is, whole; nothing half-written is left")
    func folders() throws {
        let parent = try temporaryFolder("cf-shape-parent")
        defer { try? FileManager.default.removeItem(at: parent) }
        let foreign = parent.appendingPathComponent("mine")
        try put("keep me", "notes.txt", in: foreign)
        #expect(throws: MovieLensShapeError.self) { try MovieLens.writeShaped(.ml25M, fraction: 0.001, to: foreign) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: foreign.path) == ["notes.txt"])
        let own = parent.appendingPathComponent("generated")
        try MovieLens.writeShaped(.ml25M, fraction: 0.001, seed: 1, to: own)
        try MovieLens.writeShaped(.ml25M, fraction: 0.001, seed: 2, to: own)
        #expect(MovieLens.holdsShaped(.ml25M, fraction: 0.001, seed: 2, at: own))
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: parent.path)) == ["mine", "generated"], "a temporary folder was left")
        // An empty folder is written into.
        let empty = try temporaryFolder("cf-shape-empty")
        defer { try? FileManager.default.removeItem(at: empty) }
        try MovieLens.writeShaped(.ml25M, fraction: 0.001, to: empty)
        #expect(MovieLens.holdsShaped(.ml25M, fraction: 0.001, seed: 42, at: empty))
    }
}
