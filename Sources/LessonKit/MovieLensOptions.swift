import ArgumentParser
import MovieLens

/// The option of the lessons that read MovieLens: where the data is.
public struct MovieLensOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Folder that holds MovieLens: u.data and u.item (100K), ratings.dat and movies.dat (1M) or ratings.csv and movies.csv "
                + "(latest-small), or an ml-100k folder with them. Without it: $CF_DATA_DIR, else a per-user cache folder, where "
                + "MovieLens 100K is downloaded on first use.", valueName: "dir"))
    public var data: String?

    public init() {}

    public func validate() throws {
        if let data, data.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--data needs a folder name (it is empty)") }
    }
}

/// The option of the lessons that recommend to a new user: whose ratings.
public struct NewUserOptions: ParsableArguments {
    @Option(
        name: .customLong("my-ratings"),
        help: ArgumentHelp("A new user's ratings: lines of `movie id, rating` (default: a built-in set).", valueName: "file"))
    public var myRatings: String?

    public init() {}

    public func validate() throws {
        if let myRatings, myRatings.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--my-ratings needs a file name (it is empty)")
        }
    }

    /// The new user's ratings: from `--my-ratings`, else the built-in set resolved by title on this data set.
    public func newUser(in movieLens: MovieLens) throws -> NewUser {
        if let myRatings {
            return NewUser(ratings: try movieLens.newUserRatings(fromFile: myRatings), description: "your ratings, from \(myRatings)")
        }
        return movieLens.builtInNewUser
    }
}
