import CFCore
import Foundation
import MovieLens
import TextOutput

extension Notebook {
    /// The splits a lesson runs on for `--folds n`: with `n` = 1 the default split (MovieLens 100K's u1 when it is
    /// there, else a seeded 80/20 split, which is then never called "u1"); with `n` = 5 the official folds u1…u5, each
    /// of which must be there.
    ///
    /// - Throws: `LessonError` naming `--folds` and the first fold file that is missing, or saying that the data set has
    ///   no folds at all: a fold that was asked for is never replaced by a random split. A broken fold (one of its two
    ///   files missing) is `MovieLensError.missingFile`, asked for or not.
    public func splits(folds requested: Int, of movieLens: MovieLens) throws -> [MovieLens.Split] {
        guard requested > 1 else { return [try movieLens.split(seed: seed)] }
        guard movieLens.format == .ml100k else {
            throw LessonError.message("--folds \(requested): " + MovieLensError.noFolds(dataSet: movieLens.format.rawValue).description)
        }
        // Every fold's files are looked for before any is read, so the first missing one is named.
        for n in 1...requested where try !movieLens.hasFold(n) {
            let path = movieLens.directory?.appendingPathComponent("u\(n).base").path ?? "u\(n).base"
            throw LessonError.message("--folds \(requested) asks for the official folds u1..u\(requested), and \(path) is missing")
        }
        return try (1...requested).map { try movieLens.split(fold: $0) }
    }

    /// Finds MovieLens and reads it.
    ///
    /// An explicit `--data DIR` must hold a data set: a folder that does not exist, a file, or a folder without
    /// MovieLens is an error naming what was looked for. Without `--data`, the default location
    /// (`$CF_DATA_DIR`, else the cache folder) is used, MovieLens 100K is downloaded there from GroupLens when
    /// it is not there yet, and only when that fails does the lesson fall back to synthetic data of the same
    /// shape: announced on standard error (even with `--quiet`), in the transcript, and in results.json.
    /// Data that is there but malformed is an error, never silently replaced.
    /// The data set's facts are recorded in results.json here, once: `dataset` (its format) and `synthetic`.
    public func loadMovieLens(data explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> MovieLens
    {
        let data = try findMovieLens(data: explicit, environment: environment)
        record("dataset", data.format.rawValue)
        record("synthetic", data.isSynthetic)
        return data
    }

    private func findMovieLens(data explicit: String?, environment: [String: String]) throws -> MovieLens {
        let (folder, found) = try DataLocation.locate(explicit: explicit, environment: environment)
        if let found {
            let data = try MovieLens.load(from: found)
            paragraph(Self.readingSentence(data.format, path: found.path, generated: MovieLens.isGenerated(found)))
            return data
        }
        var archive = DataLocation.movieLens100K
        if let mirror = environment["CF_MOVIELENS_URL"], let url = URL(string: mirror) { archive.url = url }
        paragraph(
            """
            MovieLens is not in \(folder.path) yet, so we download MovieLens 100K from GroupLens
            (\(archive.url.absoluteString), 4.9 MB), check its MD5 digest, and unpack it there. This happens once.
            """)
        let bar = progress("downloading ml-100k.zip", total: archive.size ?? 1)
        do {
            let unpacked = try DataLocation.download(archive, into: folder) { received, expected in
                bar.update(Int(received), detail: "\(received / 1024) of \((expected ?? received) / 1024) KB")
            }
            bar.finish()
            return try MovieLens.load(from: unpacked)
        } catch let error as MovieLensError {
            guard case let .download(reason) = error else { throw error }
            note(
                """
                Could not get MovieLens: \(reason). To use the real data, download \(DataLocation.movieLens100K.url.absoluteString)
                by hand, unzip it, and put its ml-100k folder in \(folder.path) (or pass --data with the folder that holds
                u.data). Until then this lesson runs on SYNTHETIC data of the same shape: 943 users, 1,682 movies, 100,000
                ratings from 1 to 5, generated from a hidden model. The methods work the same; the movie titles and the
                numbers are made up.
                """)
            warn("running on SYNTHETIC data (MovieLens could not be had: \(reason)); put MovieLens in \(folder.path) or pass --data DIR")
            return try MovieLens.synthetic(seed: seed)
        }
    }
}

/// A top-N list for results.json: each movie's MovieLens id, title, predicted rating, raw score, and its
/// number of ratings in `counts` (the ratings the model learned from).
public func recommendationsJSON(_ list: [Recommendation], movieLens: MovieLens, counts: Ratings) -> JSONValue {
    .array(
        list.map {
            .object([
                ("movie_id", movieLens.movieIDs[$0.item].json), ("title", movieLens.titles[$0.item].json),
                ("predicted", $0.predictedRating.json), ("score", $0.score.json),
                ("ratings", counts.ratings(ofItem: $0.item).count.json)
            ])
        })
}

extension Notebook {
    /// The seed of the validation split carved from the training ratings: the lesson's seed + 11, in every lesson.
    public var validationSeed: UInt32 { seed &+ 11 }

    /// A seed derived from `--seed`, said so that a reader sees where it comes from: "seed 53, that is --seed 42 + 11".
    public func derivedSeed(_ offset: UInt32) -> String { "seed \(seed &+ offset), that is --seed \(seed) + \(offset)" }

    /// The training ratings in two, as lessons 6 to 8 carve them: the ratings the models learn from (`fit`, 90%) and
    /// the validation ratings every choice is made on (10%, drawn with `validationSeed`), the same on every run.
    public func fitAndValidation(_ training: Ratings) throws -> (fit: Ratings, validation: Ratings) {
        var rng = RandomState(seed: validationSeed)
        let (fit, validation) = try training.split(holdingOut: 0.1, rng: &rng)
        return (fit, validation)
    }
}

extension Notebook {
    /// What the transcript says of the data it read: generated data (`cf-bench --write-shape`) in a MovieLens format is
    /// named as generated, never as MovieLens.
    public static func readingSentence(_ format: MovieLens.Format, path: String, generated: Bool) -> String {
        generated
            ? "Reading generated data in the format of \(format.rawValue) from \(path): not MovieLens, but ratings `cf-bench --write-shape` made up in the shape of a MovieLens release, so no number here is a finding about real people's tastes."
            : "Reading \(format.rawValue) from \(path)."
    }
}
