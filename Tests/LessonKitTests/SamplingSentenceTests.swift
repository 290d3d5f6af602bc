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
