import Dispatch

extension StochasticGradientDescent {
    /// A deterministic parallel schedule for SGD (after LibMF's FPSG, without its dynamic scheduler): users and items
    /// are each cut into `blocks` groups of about equal numbers of ratings, giving a grid of blocks. An epoch is
    /// `blocks` rounds; round r takes the blocks (g, (g + r) mod blocks), one per user group, which share no user
    /// and no item, and the threads share them out in a fixed way. Blocks of one round can run at the same time
    /// without touching the same parameters, and which thread runs which block never changes the numbers.
    struct BlockSchedule: @unchecked Sendable {
        /// The ratings, block after block (block b = user group × blocks + item group), each in row-major order.
        let ratings: [Rating]
        /// Where each block starts in `ratings` (one more entry than blocks).
        let offsets: [Int]
        let blocks: Int

        init(_ all: Ratings, blocks: Int) {
            self.blocks = blocks
            func groups(_ starts: [Int], _ count: Int) -> [Int] {
                let bounds = NormalEquations.chunkBounds(starts, rows: count, chunks: blocks)
                var group = [Int](repeating: 0, count: count)
                for g in 0..<(bounds.count - 1) { for row in bounds[g]..<bounds[g + 1] { group[row] = g } }
                return group
            }
            let userGroup = groups(all.userStarts, all.userCount), itemGroup = groups(all.itemStarts, all.itemCount)
            var counts = [Int](repeating: 0, count: blocks * blocks + 1)
            for r in all.entries { counts[userGroup[r.user] * blocks + itemGroup[r.item] + 1] += 1 }
            for b in 0..<(blocks * blocks) { counts[b + 1] += counts[b] }
            var next = counts, ordered = all.entries
            for r in all.entries {
                let b = userGroup[r.user] * blocks + itemGroup[r.item]
                ordered[next[b]] = r
                next[b] += 1
            }
            ratings = ordered
            offsets = counts
        }

        /// Runs `sweep` on every block, round by round, on `threads` threads; returns the sum of what the sweeps
        /// return, added in block order (so it is the same whatever the timing).
        func run(threads requested: Int, _ sweep: (Int) -> Double) -> Double {
            let threads = max(1, min(requested, blocks))
            var results = [Double](repeating: 0, count: blocks * blocks)
            results.withUnsafeMutableBufferPointer { out in
                let slots = SharedSlots(out)
                withoutActuallyEscaping(sweep) { sweep in
                    let body = UncheckedSendable(sweep)
                    for round in 0..<blocks {
                        DispatchQueue.concurrentPerform(iterations: threads) { t in
                            for g in Swift.stride(from: t, to: blocks, by: threads) {
                                let block = g * blocks + (g + round) % blocks
                                slots.base[block] = body.value(block)
                            }
                        }
                    }
                }
            }
            return results.reduce(0, +)
        }
    }
}
