// Inflate: the decompressor of deflate streams (RFC 1951), the compression zip archives use (method 8).
//
// A deflate stream is a series of blocks; each starts with three bits: "last block?" and the block's type.
//
// - Stored blocks (type 0) hold their bytes as they are, after a 16-bit length and its one's complement.
// - Fixed-Huffman blocks (type 1) code literals, lengths and distances with the codes the RFC fixes once for all.
// - Dynamic-Huffman blocks (type 2) carry their own codes first, as lists of code lengths, themselves Huffman-coded.
//
// In the Huffman blocks, a symbol below 256 is a byte written as is, 256 ends the block, and 257…285 is a length
// (3…258, with extra bits) followed by a distance (1…32768, with extra bits): "copy `length` bytes from `distance`
// bytes back in what was written so far" (the copy may overlap itself: distance 1 repeats the last byte).
//
// Everything here is bounds-checked: a stream that is cut short, uses a code its tables lack, points back before the
// start of the output or would write past the size the archive declared is an `InflateError`, never a crash, never a
// read or write outside the buffers.

/// Why a deflate stream could not be inflated.
enum InflateError: Error, Equatable {
    /// The stream is not valid deflate data; the text says how, in a few words.
    case corrupt(String)
    /// The stream ends (its bytes run out) before its last block does.
    case truncated
    /// The stream inflates to more bytes than the archive declared for it.
    case tooLong(declared: Int)
    /// The stream ends after fewer bytes than the archive declared for it.
    case tooShort(declared: Int, actual: Int)
}

/// Inflates the raw deflate stream `input` (no zlib or gzip wrapper), which must inflate to exactly `size` bytes.
///
/// The output is allocated once, at `size` bytes, and never grows: a stream that would inflate to more is stopped
/// as soon as it tries. Bytes after the stream's last block are ignored.
func inflate(_ input: UnsafeBufferPointer<UInt8>, size: Int) throws(InflateError) -> [UInt8] {
    precondition(size >= 0)
    var failure: InflateError?
    let output = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
        var inflater = Inflater(input: input, output: UnsafeMutableBufferPointer(rebasing: buffer[0..<size]))
        do throws(InflateError) {
            try inflater.run()
            if inflater.written != size { failure = .tooShort(declared: size, actual: inflater.written) }
        } catch {
            failure = error
        }
        // Only a whole output is kept; bytes are trivial values, so nothing needs deinitializing.
        initialized = failure == nil ? size : 0
    }
    if let failure { throw failure }
    return output
}

/// A canonical Huffman code (RFC 1951 §3.2.2), built from the code length of each symbol, with a lookup table for
/// the short codes and a bit-by-bit decoder for the rest.
struct Huffman: Sendable {
    /// How many bits the lookup table resolves at once; longer codes (up to 15 bits) are decoded bit by bit.
    static let fastBits = 10

    /// Indexed by the next `fastBits` bits of the stream (in stream order): `length << 9 | symbol` for the code that
    /// starts with those bits, or 0 when no code of at most `fastBits` bits does.
    let fast: [UInt16]
    /// The number of codes of each length, 0…15 (`counts[0]` unused).
    let counts: [Int]
    /// The symbols that have a code, ordered by code (by length, then by symbol, as canonical codes are).
    let symbols: [Int]

    /// The code for symbols `0..<lengths.count`, where `lengths[i]` is symbol i's code length in bits (0: no code).
    ///
    /// - Throws: `InflateError.corrupt` for lengths that no prefix code can have (more codes of a length than fit);
    ///   an incomplete code is accepted (RFC 1951 allows it, e.g. a single distance code) and a stream that uses one
    ///   of its missing codes fails when decoded.
    init(lengths: ArraySlice<Int>) throws(InflateError) {
        var counts = [Int](repeating: 0, count: 16)
        for length in lengths {
            guard (0...15).contains(length) else { throw .corrupt("a code length above 15") }
            counts[length] += 1
        }
        counts[0] = 0
        // Each length doubles the codes available; using more than are left makes the code ambiguous.
        var left = 1
        for length in 1...15 {
            left = left * 2 - counts[length]
            guard left >= 0 else { throw .corrupt("a Huffman code with more codes than its lengths allow") }
        }
        // The first code of each length, and the symbols in code order.
        var offsets = [Int](repeating: 0, count: 16)
        for length in 2...15 { offsets[length] = offsets[length - 1] + counts[length - 1] }
        var nextCode = [Int](repeating: 0, count: 16)
        var code = 0
        for length in 1...15 {
            code = (code + counts[length - 1]) << 1
            nextCode[length] = code
        }
        var symbols = [Int](repeating: 0, count: counts.reduce(0, +))
        var fast = [UInt16](repeating: 0, count: 1 << Self.fastBits)
        var placed = offsets
        for (symbol, length) in zip(0..., lengths) where length > 0 {
            symbols[placed[length]] = symbol
            placed[length] += 1
            let code = nextCode[length]
            nextCode[length] += 1
            guard length <= Self.fastBits else { continue }
            // Huffman codes are sent most significant bit first, and the stream is read least significant bit first:
            // the table is indexed by the code's bits reversed, padded with every possible following bit.
            var reversed = 0
            for bit in 0..<length where code & (1 << bit) != 0 { reversed |= 1 << (length - 1 - bit) }
            let entry = UInt16(length << 9 | symbol)
            for index in stride(from: reversed, to: 1 << Self.fastBits, by: 1 << length) { fast[index] = entry }
        }
        self.fast = fast
        self.counts = counts
        self.symbols = symbols
    }

    /// The code of fixed-Huffman blocks for literals and lengths: symbols 0…143 in 8 bits, 144…255 in 9, 256…279 in 7,
    /// 280…287 in 8 (286 and 287 have codes but never occur in valid data).
    /// (Built from constants that form a complete code, so it is never nil; nil would be reported as a corrupt stream.)
    static let fixedLiterals = try? Huffman(
        lengths: ArraySlice(
            [Int](repeating: 8, count: 144) + [Int](repeating: 9, count: 112) + [Int](repeating: 7, count: 24) + [Int](repeating: 8, count: 8)))

    /// The code of fixed-Huffman blocks for distances: 30 symbols in 5 bits each.
    static let fixedDistances = try? Huffman(lengths: ArraySlice([Int](repeating: 5, count: 30)))
}

/// The state of one inflation: where it is in the input, the bits read but not yet used, and the output so far.
struct Inflater {
    let input: UnsafeBufferPointer<UInt8>
    /// The next input byte not yet in `bitBuffer`.
    var position = 0
    /// Input bits read but not used yet; the next one is the lowest.
    var bitBuffer: UInt64 = 0
    /// How many bits `bitBuffer` holds (always whole bytes' worth, less the bits used).
    var bitCount = 0
    let output: UnsafeMutableBufferPointer<UInt8>
    /// How many bytes of `output` are written.
    var written = 0

    init(input: UnsafeBufferPointer<UInt8>, output: UnsafeMutableBufferPointer<UInt8>) {
        self.input = input
        self.output = output
    }

    /// The base length of length symbols 257…285, and how many extra bits follow each.
    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    /// The base distance of distance symbols 0…29, and how many extra bits follow each.
    static let distanceBase = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
        4097, 6145, 8193, 12289, 16385, 24577
    ]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    /// The order in which a dynamic block lists the code lengths of the code-length code.
    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// Inflates the whole stream, block after block, until the block marked last.
    mutating func run() throws(InflateError) {
        var last = false
        while !last {
            last = try bits(1) == 1
            switch try bits(2) {
            case 0: try storedBlock()
            case 1:
                guard let literals = Huffman.fixedLiterals, let distances = Huffman.fixedDistances else {
                    throw .corrupt("the fixed Huffman codes could not be built")
                }
                try huffmanBlock(literals: literals, distances: distances)
            case 2:
                let (literals, distances) = try dynamicCodes()
                try huffmanBlock(literals: literals, distances: distances)
            default: throw .corrupt("a block of type 3, which deflate does not have")
            }
        }
    }

    /// Moves whole input bytes into `bitBuffer` while there is room and input left.
    @inline(__always)
    mutating func refill() {
        while bitCount <= 56 && position < input.count {
            bitBuffer |= UInt64(input[position]) << UInt64(bitCount)
            position += 1
            bitCount += 8
        }
    }

    /// The next `count` bits (0…16) as a number, the first bit lowest.
    @inline(__always)
    mutating func bits(_ count: Int) throws(InflateError) -> Int {
        if bitCount < count {
            refill()
            guard bitCount >= count else { throw .truncated }
        }
        let value = Int(truncatingIfNeeded: bitBuffer & ((1 << UInt64(count)) - 1))
        bitBuffer >>= UInt64(count)
        bitCount -= count
        return value
    }

    /// The next symbol in `code`.
    @inline(__always)
    mutating func decode(_ code: Huffman) throws(InflateError) -> Int {
        if bitCount < 15 { refill() }
        // `fast.count - 1` masks the next `Huffman.fastBits` bits (a constant read from the table, which is quicker
        // than a static one in unoptimized builds).
        let entry = Int(code.fast[Int(truncatingIfNeeded: bitBuffer) & (code.fast.count - 1)])
        if entry != 0 {
            let length = entry >> 9
            guard length <= bitCount else { throw .truncated }
            bitBuffer >>= UInt64(length)
            bitCount -= length
            return entry & 0x1FF
        }
        // A code longer than the table resolves (or none at all): walk the canonical code one bit at a time. Codes
        // of length n are consecutive numbers starting at `first`, and their symbols follow `index` in `symbols`.
        var value = 0, first = 0, index = 0
        for length in 1...15 {
            guard length <= bitCount else { throw .truncated }
            value |= Int(truncatingIfNeeded: (bitBuffer >> UInt64(length - 1)) & 1)
            let count = code.counts[length]
            if value - first < count {
                bitBuffer >>= UInt64(length)
                bitCount -= length
                return code.symbols[index + value - first]
            }
            index += count
            first = (first + count) << 1
            value <<= 1
        }
        throw .corrupt("a Huffman code that the block's code table does not have")
    }

    /// A stored block: from the next byte boundary, its length, the length's complement, and that many bytes.
    mutating func storedBlock() throws(InflateError) {
        let partial = bitCount % 8
        bitBuffer >>= UInt64(partial)
        bitCount -= partial
        let length = try bits(16)
        let complement = try bits(16)
        guard length == ~complement & 0xFFFF else { throw .corrupt("a stored block whose length does not match its check") }
        guard length <= output.count - written else { throw .tooLong(declared: output.count) }
        var remaining = length
        // First the bytes already in the bit buffer, then straight from the input.
        while remaining > 0 && bitCount >= 8 {
            output[written] = UInt8(truncatingIfNeeded: bitBuffer)
            bitBuffer >>= 8
            bitCount -= 8
            written += 1
            remaining -= 1
        }
        guard remaining <= input.count - position else { throw .truncated }
        if remaining > 0 {
            _ = UnsafeMutableBufferPointer(rebasing: output[written..<written + remaining])
                .update(fromContentsOf: UnsafeBufferPointer(rebasing: input[position..<position + remaining]))
        }
        position += remaining
        written += remaining
    }

    /// A dynamic block's header: its literal/length and distance codes, sent as code lengths that are themselves
    /// coded with a small Huffman code (symbols 0…15 are lengths, 16 repeats the previous length 3…6 times, 17 and 18
    /// give 3…10 and 11…138 zeros).
    mutating func dynamicCodes() throws(InflateError) -> (literals: Huffman, distances: Huffman) {
        let literalCount = try bits(5) + 257
        let distanceCount = try bits(5) + 1
        let codeLengthCount = try bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else { throw .corrupt("a dynamic block with too many codes") }
        var codeLengthLengths = [Int](repeating: 0, count: 19)
        for position in Self.codeLengthOrder.prefix(codeLengthCount) { codeLengthLengths[position] = try bits(3) }
        let codeLengthCode = try Huffman(lengths: codeLengthLengths[...])
        let total = literalCount + distanceCount
        var lengths = [Int]()
        lengths.reserveCapacity(total)
        while lengths.count < total {
            let symbol = try decode(codeLengthCode)
            let value: Int, repeats: Int
            switch symbol {
            case 0...15: (value, repeats) = (symbol, 1)
            case 16:
                guard let previous = lengths.last else { throw .corrupt("a repeated code length with none before it") }
                (value, repeats) = (previous, try bits(2) + 3)
            case 17: (value, repeats) = (0, try bits(3) + 3)
            default: (value, repeats) = (0, try bits(7) + 11)
            }
            guard repeats <= total - lengths.count else { throw .corrupt("code lengths that run past the number of codes") }
            lengths.append(contentsOf: repeatElement(value, count: repeats))
        }
        guard lengths[256] != 0 else { throw .corrupt("a dynamic block without an end-of-block code") }
        return (try Huffman(lengths: lengths[..<literalCount]), try Huffman(lengths: lengths[literalCount...]))
    }

    /// A Huffman block's literals and copies, up to its end-of-block symbol.
    mutating func huffmanBlock(literals: Huffman, distances: Huffman) throws(InflateError) {
        // Local copies: reading a global table is slower than a local array in unoptimized builds.
        let lengthBase = Self.lengthBase, lengthExtra = Self.lengthExtra
        let distanceBase = Self.distanceBase, distanceExtra = Self.distanceExtra
        while true {
            let symbol = try decode(literals)
            if symbol < 256 {
                guard written < output.count else { throw .tooLong(declared: output.count) }
                output[written] = UInt8(truncatingIfNeeded: symbol)
                written += 1
                continue
            }
            if symbol == 256 { return }
            let lengthSymbol = symbol - 257
            guard lengthSymbol < 29 else { throw .corrupt("length symbol \(symbol), which deflate does not have") }
            let length = try lengthBase[lengthSymbol] + bits(lengthExtra[lengthSymbol])
            let distanceSymbol = try decode(distances)
            guard distanceSymbol < 30 else { throw .corrupt("distance symbol \(distanceSymbol), which deflate does not have") }
            let distance = try distanceBase[distanceSymbol] + bits(distanceExtra[distanceSymbol])
            guard distance <= written else { throw .corrupt("a copy from before the start of the data") }
            guard length <= output.count - written else { throw .tooLong(declared: output.count) }
            // Byte by byte, front to back: a copy that overlaps what it writes repeats it, as deflate means it to.
            var from = written - distance
            for _ in 0..<length {
                output[written] = output[from]
                written += 1
                from += 1
            }
        }
    }
}
