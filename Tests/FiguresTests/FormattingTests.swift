import Testing
import TextOutput

@Suite("numbers as a person reads them")
struct FormattingTests {
    @Test("thousands separated by commas, worked by hand, negatives and small numbers included")
    func grouped() {
        #expect(formatGrouped(0) == "0" && formatGrouped(999) == "999" && formatGrouped(1000) == "1,000")
        #expect(formatGrouped(25_000_095) == "25,000,095" && formatGrouped(1_000_112) == "1,000,112")
        #expect(formatGrouped(-162_541) == "-162,541")
    }

    @Test("three significant digits as a plain decimal, no trailing zeros, no scientific notation; 0.003 × 100,000 / N worked by hand")
    func significant() {
        #expect(formatSignificant(0.003) == "0.003" && formatSignificant(0.0012) == "0.0012" && formatSignificant(0.000012) == "0.000012")
        #expect(formatSignificant(0.003 * 100_000 / 1_000_209) == "0.0003" && formatSignificant(0.003 * 100_000 / 25_000_095) == "0.000012")
        #expect(formatSignificant(0.00299939) == "0.003" && formatSignificant(1) == "1" && formatSignificant(123.456) == "123")
        #expect(formatSignificant(0.31234) == "0.312" && formatSignificant(-0.0125) == "-0.0125")
    }

    @Test("a share as a percentage: whole percents from 1%, one decimal below")
    func percent() {
        #expect(formatPercent(0.04) == "4%" && formatPercent(0.2003) == "20%" && formatPercent(0.004) == "0.4%")
    }
}
