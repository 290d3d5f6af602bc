import Foundation

/// Ratings read as implicit feedback: who interacted with what, and the splits a ranking is judged on.
extension Ratings {
    /// The same cells with every value set to 1: who interacted with what, whatever the rating.
    public var interactions: Ratings {
        Ratings(trusted: entries.map { Rating(user: $0.user, item: $0.item, value: 1) }, userCount: userCount, itemCount: itemCount)
    }

    /// The cells whose value is at least `minimum`, with their values (e.g. ratings ≥ 4 as the positive interactions).
    public func keeping(atLeast minimum: Double) -> Ratings {
        Ratings(trusted: entries.filter { $0.value >= minimum }, userCount: userCount, itemCount: itemCount)
    }

    /// The cells of `self` that are not cells of `other`, with `self`'s values.
    public func removing(_ other: Ratings) -> Ratings {
        let kept = entries.filter { other.value(user: $0.user, item: $0.item) == nil }
        return Ratings(trusted: kept, userCount: userCount, itemCount: itemCount)
    }

    /// A random per-user holdout: of each user's n interactions, round(fraction · n) (at least 1, and never all of
    /// them) are held out, chosen by a seeded permutation of the user's list. Users with a single interaction keep it.
    public func holdingOutPerUser(_ fraction: Double, rng: inout RandomState) throws -> (training: Ratings, heldOut: Ratings) {
        require(fraction > 0 && fraction < 1, "the held-out fraction must lie strictly between 0 and 1")
        var kept = [Rating](), held = [Rating]()
        for u in 0..<userCount {
            let mine = Array(ratings(ofUser: u))
            guard mine.count >= 2 else { kept += mine; continue }
            let count = min(max(Int((Double(mine.count) * fraction).rounded()), 1), mine.count - 1)
            let order = rng.permutation(mine.count)
            for (position, index) in order.enumerated() { if position < count { held.append(mine[index]) } else { kept.append(mine[index]) } }
        }
        return (try Ratings(userCount: userCount, itemCount: itemCount, ratings: kept), try Ratings(userCount: userCount, itemCount: itemCount, ratings: held))
    }

    /// Leave-last-out: each user's most recent interaction by `times` (same cells, values are times) is held out;
    /// among interactions at the same time, the one with the highest item index. Users with a single interaction keep it.
    public func holdingOutLatest(times: Ratings) throws -> (training: Ratings, heldOut: Ratings) {
        var kept = [Rating](), held = [Rating]()
        for u in 0..<userCount {
            let mine = Array(ratings(ofUser: u))
            guard mine.count >= 2 else { kept += mine; continue }
            var latest = 0, latestTime = -Double.infinity
            for (index, r) in mine.enumerated() {
                guard let time = times.value(user: u, item: r.item) else { continue }
                if time >= latestTime { latest = index; latestTime = time }  // sorted by item: ties go to the highest index
            }
            for (index, r) in mine.enumerated() { if index == latest { held.append(r) } else { kept.append(r) } }
        }
        return (try Ratings(userCount: userCount, itemCount: itemCount, ratings: kept), try Ratings(userCount: userCount, itemCount: itemCount, ratings: held))
    }

    /// Each item's number of interactions.
    public var itemCounts: [Int] { (0..<itemCount).map { ratings(ofItem: $0).count } }
}
