import Foundation
import TestSupport
import Testing

@Suite("a data set larger than a lesson's limit is sampled by users, and said")
struct SamplingRunTests {
    @Test("lesson-8 --max-ratings on latest-small: one sentence with the counts, results.json's sample, the lesson runs on it; --whole exclusive")
    func lesson8Sampled() throws {
        let data = try writeLatestSmall()
        defer { try? FileManager.default.removeItem(at: data) }
        let run = try LessonRun.run(
            "lesson-8", ["--data", data.path, "--k", "3", "--samples", "20", "--burn-in", "5", "--no-plots", "--max-ratings", "1000"])
        defer { run.cleanUp() }
        #expect(run.status == 0 && run.stderr.isEmpty, "\(run.stderr)")
        let sample = try #require(try run.results()["sample"] as? [String: Int])
        let kept = try #require(sample["ratings"]), whole = try #require(sample["of_ratings"])
        #expect(kept >= 1000 && kept < whole, "kept \(kept) of \(whole)")
        #expect(sample["users"]! < sample["of_users"]! && sample["movies"]! <= sample["of_movies"]!)
        let transcript = try String(contentsOf: run.output.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(transcript.contains("as `--max-ratings 1000` asks, this run keeps the ratings of \(sample["users"]!) users drawn at random"))
        #expect(transcript.contains("`--whole` runs on every rating."))
        let both = try LessonRun.run("lesson-8", ["--data", data.path, "--whole", "--max-ratings", "5000"], output: false)
        #expect(both.status != 0 && both.stderr.contains("--whole and --max-ratings exclude each other"))
    }
}
