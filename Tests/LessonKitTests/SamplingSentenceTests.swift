import Foundation
import LessonKit
import MovieLens
import TestSupport
import Testing

@Suite("the sentence on a sample")
struct SamplingSentenceTests {
    @Test("it gives the counts with thousands separators and the share; the lesson's reason, or that --max-ratings asked; how to run the whole")
    func sentence() throws {
        let folder = try writeLatestSmall()
        defer { try? FileManager.default.removeItem(at: folder) }
        let whole = try MovieLens.load(from: folder)
        let sample = try whole.sampledUsers(toAbout: 1000, seed: 2)
        let share = Int((100 * Double(sample.ratings.count) / Double(whole.ratings.count)).rounded())
        let because = Notebook.onTheSample(sample, why: "the chains take time in proportion to the ratings", askedFor: nil)
        let n = whole.ratings.count, written = n >= 1000 ? "\(n / 1000),\(String(format: "%03d", n % 1000))" : "\(n)"
        #expect(because.hasPrefix("This data set has \(written) ratings from \(whole.ratings.userCount) users; "), "\(because)")
        #expect(because.contains("the chains take time in proportion to the ratings, so this run keeps the ratings of \(sample.ratings.userCount) users"))
        #expect(because.contains("\(share)% of them") && because.hasSuffix("`--whole` runs on every rating."))
        let asked = Notebook.onTheSample(sample, why: "unused", askedFor: 1000)
        #expect(asked.contains("; as `--max-ratings 1000` asks, this run keeps") && !asked.contains("unused"))
        #expect(Notebook.onTheSample(whole, why: "x", askedFor: nil).isEmpty, "nothing to say on a whole data set")
    }
}

@Suite("the sentence on the data read")
struct ReadingSentenceTests {
    @Test("a MovieLens folder is named by its format; a folder cf-bench --write-shape wrote (its marker file) is named as generated, not MovieLens")
    func generatedIsNotMovieLens() throws {
        let real = try writeLatestSmall()
        let generated = temporaryPath("cf-reading-generated")
        defer {
            try? FileManager.default.removeItem(at: real)
            try? FileManager.default.removeItem(at: generated)
        }
        try MovieLens.writeShaped(.ml100K, fraction: 0.05, seed: 1, to: generated)
        #expect(!MovieLens.isGenerated(real) && MovieLens.isGenerated(generated))
        let format = try MovieLens.load(from: generated).format
        #expect(Notebook.readingSentence(format, path: "/data", generated: false) == "Reading \(format.rawValue) from /data.")
        let said = Notebook.readingSentence(format, path: "/data", generated: true)
        #expect(said.hasPrefix("Reading generated data in the format of \(format.rawValue) from /data: not MovieLens"))
    }
}
