import LessonKit
import Testing
import TextOutput

@Suite("Tables and results.json")
struct TableAndJSONTests {
    @Test("numeric columns right-aligned, text left-aligned, blanks for missing cells")
    func alignedText() {
        let table = Table(
            matrix: [[5, nil], [1.25, 10]], rowNames: ["ann", "bartholomew"], columnNames: ["Song", "B"],
            corner: "user", digits: 1)
        #expect(
            table.text == """
                user         Song     B
                ───────────  ────  ────
                ann           5.0
                bartholomew   1.2  10.0
                """)
        #expect(
            table.markdown == """
                | user | Song | B |
                |:---|---:|---:|
                | ann | 5.0 |  |
                | bartholomew | 1.2 | 10.0 |
                """)
    }

    @Test("JSON keeps key order, writes numbers exactly and escapes strings")
    func json() {
        let value = JSONValue.object([
            ("b", 2.5.json), ("a", [1, 2].json), ("s", "say \"hi\"\n".json), ("n", Double.nan.json), ("m", [[1.0], [2.0]].json)
        ])
        #expect(
            value.text() == """
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

    @Test("formulas keep their underscores: b_u is escaped in Markdown and reaches the HTML page as b_u, not as emphasis")
    func underscores() {
        #expect(Table(header: ["term", "value"], rows: [["b_u", "1"]]).markdown.contains("| b\\_u | 1 |"))
        let html = NotebookPage.lesson(6, markdown: "μ + b\\_u + b\\_i, 2 \\* 3 and `a_b`\n\n```\nx\\_y\n```")
        #expect(html.contains("μ + b&#95;u + b&#95;i, 2 &#42; 3 and <code>a_b</code>"))
        #expect(html.contains("x\\_y"))
        #expect(!html.contains("<em>"))
        let figure = NotebookPage.lesson(4, markdown: "![R = U\\_true V\\_trueᵀ](true-matrix.png)")
        #expect(figure.contains("<figure><img src=\"true-matrix.png\" alt=\"R = U_true V_trueᵀ\"/><figcaption>R = U_true V_trueᵀ</figcaption></figure>"))
    }
}
