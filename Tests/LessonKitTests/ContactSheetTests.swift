import LessonKit
import TextOutput
import Testing

@Suite("the contact sheet")
struct ContactSheetTests {
    @Test("a transcript's figures, each with the last sentence of the prose just before it (none past a table or heading)")
    func figuresOfATranscript() {
        let markdown = """
            # Lesson 1: Something

            Some prose, e.g. this. The second sentence: it leads in at 3.9 stars.

            | a | b |
            | --- | --- |

            ![Scores of every user (S = U Mᵀ)](scores.png)

            ## Next

            ![A figure right after a heading](next.png)

            > **Note:** a note is not prose.

            One sentence only

            ![Third](third.svg)

            The prose right above. It leads into the fourth.

            ![Fourth](fourth.png)
            """
        let figures = NotebookPage.figures(inTranscript: markdown)
        #expect(figures.map(\.image) == ["scores.png", "next.png", "third.svg", "fourth.png"])
        #expect(figures[3].introduction == "It leads into the fourth.")
        #expect(figures[0].title == "Scores of every user (S = U Mᵀ)" && figures[0].script == "scores.gp" && figures[0].data == "scores.dat")
        // A table stands between the prose and the figure: the prose introduced the table, so the figure has none.
        #expect(figures[0].introduction == "")
        // After a heading, only prose below it leads in: here none; a note does not count.
        #expect(figures[1].introduction == "")
        #expect(figures[2].introduction == "One sentence only" && figures[2].script == "third.gp")
    }

    @Test("the sheet links each figure's image, script and data in its lesson's folder, lessons without figures left out")
    func sheet() {
        let entry = NotebookPage.FigureEntry(image: "loss.png", title: "Loss <per> epoch", introduction: "It falls.")
        let html = NotebookPage.contactSheet([(Course.lessons[0], [entry]), (Course.lessons[1], [])])
        #expect(html.contains("<img src=\"lesson-1/loss.png\" alt=\"Loss &lt;per&gt; epoch\"/>"))
        #expect(html.contains("href=\"lesson-1/loss.gp\"") && html.contains("href=\"lesson-1/loss.dat\"") && html.contains("It falls."))
        #expect(!html.contains("Lesson 2:"))
        #expect(html.contains("outfile='slide.pdf'"))
    }
}

@Suite("titles and values as a person writes them")
struct ReadableTextTests {
    @Test("a trailing article goes back in front; a short title is cut at a word, never after a comma")
    func titles() {
        #expect(readableTitle("Close Shave, A (1995)") == "A Close Shave (1995)")
        #expect(readableTitle("Boot, Das (1981)") == "Das Boot (1981)")
        #expect(readableTitle("Star Wars (1977)") == "Star Wars (1977)")
        #expect(shortTitle("Saint, The (1997)") == "The Saint")
        #expect(shortTitle("Shawshank Redemption, The (1994)") == "The Shawshank Redemption")
        #expect(shortTitle("Wallace & Gromit: The Best of Aardman Animation (1996)") == "Wallace & Gromit: The…")
        #expect(shortTitle("Terminator 2: Judgment Day (1991)") == "Terminator 2: Judgment…")
        #expect(shortTitle("City of Lost Children, The (1995)", length: 34) == "The City of Lost Children")
    }

    @Test("a setting's value with no trailing zeros")
    func plain() {
        #expect(formatPlain(0) == "0" && formatPlain(1.5) == "1.5" && formatPlain(0.001) == "0.001" && formatPlain(2) == "2")
    }
}
