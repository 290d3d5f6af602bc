import CFCore
import Foundation
import MovieLens

extension Notebook {
    /// Finds MovieLens (in `--data DIR`, `$CF_DATA_DIR` or the cache folder), downloads MovieLens 100K from
    /// GroupLens when it is not there, and falls back to synthetic data of the same shape when the download
    /// fails, saying so clearly. Data that is there but malformed is an error, never silently replaced.
    public func loadMovieLens(data explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
    throws -> MovieLens {
        let folder = DataLocation.folder(explicit: explicit, environment: environment)
        if let found = DataLocation.dataSetFolder(in: folder) {
            let data = try MovieLens.load(from: found)
            paragraph("Reading \(data.format.rawValue) from \(found.path).")
            return data
        }
        var archive = DataLocation.movieLens100K
        if let mirror = environment["CF_MOVIELENS_URL"], let url = URL(string: mirror) { archive.url = url }
        paragraph("""
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
            note("""
                Could not get MovieLens: \(reason). To use the real data, download \(DataLocation.movieLens100K.url.absoluteString)
                by hand, unzip it, and put its ml-100k folder in \(folder.path) (or pass --data with the folder that holds
                u.data). Until then this lesson runs on SYNTHETIC data of the same shape: 943 users, 1,682 movies, 100,000
                ratings from 1 to 5, generated from a hidden model. The methods work the same; the movie titles and the
                numbers are made up.
                """)
            return try MovieLens.synthetic(seed: seed)
        }
    }
}
