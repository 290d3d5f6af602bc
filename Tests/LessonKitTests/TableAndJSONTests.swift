import LessonKit
import Testing

@Suite("Tables and results.json")
struct TableAndJSONTests {
    @Test("numeric columns right-aligned, text left-aligned, blanks for missing cells")
    func alignedText() {
        let table = Table(matrix: [[5, nil], [1.25, 10]], rowNames: ["ann", "bartholomew"], columnNames: ["Song", "B"],
                          corner: "user", digits: 1)
        #expect(table.text == """
            user         Song     B
            ───────────  ────  ────
            ann           5.0
            bartholomew   1.2  10.0
            """)
        #expect(table.markdown == """
            | user | Song | B |
            |:---|---:|---:|
            | ann | 5.0 |  |
            | bartholomew | 1.2 | 10.0 |
            """)
    }

    @Test("JSON keeps key order, writes numbers exactly and escapes strings")
    func json() {
        let value = JSONValue.object([
            ("b", 2.5.json), ("a", [1, 2].json), ("s", "say \"hi\"\n".json), ("n", Double.nan.json), ("m", [[1.0], [2.0]].json),
        ])
        #expect(value.text() == """
            {
              "b": 2.5,
              "a": [1, 2],
              "s": "say \\"hi\\"\\n",
              "n": null,
              "m": [
                [1.0],
                [2.0]
              ]
            }
            """)
    }
}
