import Foundation
import Ink
import TextOutput

/// Self-contained HTML pages for the transcripts: the lesson pages (`lesson-N/index.html`) and the course's
/// contents page (`index.html`). No fonts, scripts or styles are fetched from anywhere: it all reads offline.
public enum NotebookPage {
    /// The HTML of lesson `number`'s page, from its Markdown transcript.
    public static func lesson(_ number: Int, markdown: String) -> String {
        let title = Course.lesson(number).map { "Lesson \(number): \($0.title)" } ?? "Lesson \(number)"
        var links = [String]()
        if let previous = Course.lesson(number - 1) {
            links.append("<a rel=\"prev\" href=\"../\(previous.executable)/index.html\">← Lesson \(previous.number): \(escape(previous.title))</a>")
        }
        links.append("<a href=\"../index.html\">Contents</a>")
        if let next = Course.lesson(number + 1) {
            links.append("<a rel=\"next\" href=\"../\(next.executable)/index.html\">Lesson \(next.number): \(escape(next.title)) →</a>")
        }
        let navigation = "<nav>" + links.joined(separator: "\n") + "</nav>"
        return page(title: title, body: navigation + "\n<main>\n" + parser.html(from: MarkdownText.forInk(markdown)) + "\n</main>\n" + navigation)
    }

    /// One line of the contents page.
    public struct Entry: Sendable {
        /// The lesson.
        public var lesson: LessonInfo
        /// Whether its page exists.
        public var hasPage: Bool
        /// What happened in the last run, e.g. "0.6 s" or "failed: …".
        public var status: String

        /// A contents entry.
        public init(lesson: LessonInfo, hasPage: Bool, status: String) {
            self.lesson = lesson
            self.hasPage = hasPage
            self.status = status
        }
    }

    /// One figure of a lesson, as its transcript shows it.
    public struct FigureEntry: Equatable, Sendable {
        /// The image's file name in the lesson's folder ("loss.png"); the script and data share its stem.
        public var image: String
        /// The figure's title.
        public var title: String
        /// The sentence of the transcript that leads into it (the last sentence of the prose before it), or empty.
        public var introduction: String

        /// A figure as a transcript shows it.
        public init(image: String, title: String, introduction: String) {
            self.image = image
            self.title = title
            self.introduction = introduction
        }

        /// The figure's script and data files.
        public var script: String { stem + ".gp" }
        public var data: String { stem + ".dat" }
        var stem: String { (image as NSString).deletingPathExtension }
    }

    /// The figures of a Markdown transcript, in order, each with the sentence that leads into it.
    public static func figures(inTranscript markdown: String) -> [FigureEntry] {
        // Only prose since the previous figure or heading leads into a figure: a figure right after another gets none.
        var entries = [FigureEntry](), lastProse = ""
        func unescaped(_ text: String) -> String {
            MarkdownText.plain(text).replacingOccurrences(of: "\\_", with: "_").replacingOccurrences(of: "\\*", with: "*")
        }
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) {
            if line.hasPrefix("!["), let close = line.range(of: "]("), line.hasSuffix(")") {
                let title = unescaped(String(line[line.index(line.startIndex, offsetBy: 2)..<close.lowerBound]))
                let file = String(line[close.upperBound..<line.index(before: line.endIndex)])
                entries.append(FigureEntry(image: file, title: title, introduction: lastSentence(of: lastProse)))
                lastProse = ""
            } else if line.hasPrefix("#") || line.hasPrefix("|") || line.hasPrefix("**") {
                // A heading, a table or its caption stands between: the prose above introduced that, not the figure.
                lastProse = ""
            } else if let first = line.first, !"|>*`!-".contains(first), !line.hasPrefix("    ") {
                lastProse = unescaped(line)
            }
        }
        return entries
    }

    /// The last sentence of a paragraph: a sentence ends at a full stop, question or exclamation mark followed by a
    /// space and a capital letter (so "e.g. the" or "3.9 stars" does not end one).
    static func lastSentence(of paragraph: String) -> String {
        let text = Array(paragraph.trimmingCharacters(in: .whitespaces))
        guard !text.isEmpty else { return "" }
        var cut = 0
        for index in 0..<max(text.count - 2, 0) where ".?!".contains(text[index]) && text[index + 1] == " " && text[index + 2].isUppercase {
            cut = index + 2
        }
        return String(text[cut...])
    }

    /// The contact sheet, `figures.html`: every figure of the course in lesson order, with its title, the sentence that
    /// leads into it, and links to its image, script and data, for a teacher choosing slides.
    public static func contactSheet(_ lessons: [(lesson: LessonInfo, figures: [FigureEntry])]) -> String {
        let sections = lessons.filter { !$0.figures.isEmpty }.map { lesson, figures -> String in
            let folder = lesson.executable
            let items = figures.map { f -> String in
                let intro = f.introduction.isEmpty ? "" : "<p class=\"intro\">\(escape(f.introduction))</p>"
                return """
                    <li><a href="\(folder)/\(escape(f.image))"><img src="\(folder)/\(escape(f.image))" alt="\(escape(f.title))"/></a>
                    <p class="title">\(escape(f.title))</p>\(intro)
                    <p class="files"><a href="\(folder)/\(escape(f.image))">image</a> · <a href="\(folder)/\(escape(f.script))">script</a> · <a href="\(folder)/\(escape(f.data))">data</a></p></li>
                    """
            }
            return "<h2><a href=\"\(folder)/index.html\">Lesson \(lesson.number): \(escape(lesson.title))</a></h2>\n<ul class=\"sheet\">\n"
                + items.joined(separator: "\n") + "\n</ul>"
        }
        return page(
            title: "cf-lessons: every figure",
            body: """
                <main>
                <nav><a href="index.html">Contents</a></nav>
                <h1>Every figure of the course</h1>
                <p>For slides: each figure with the sentence that leads into it. In a lesson's folder, <code>gnuplot NAME.gp</code>
                redraws a figure, and <code>gnuplot -e "outfile='slide.pdf'" NAME.gp</code> draws it into a PDF (or an SVG or a
                PNG: the file's extension picks the format).</p>
                \(sections.isEmpty ? "<p>No lesson has written a figure yet.</p>" : sections.joined(separator: "\n"))
                </main>
                """)
    }

    /// The HTML of the contents page linking every lesson's page in order.
    public static func index(_ entries: [Entry]) -> String {
        let items = entries.map { entry -> String in
            let title = "Lesson \(entry.lesson.number): \(escape(entry.lesson.title))"
            let heading = entry.hasPage ? "<a href=\"\(entry.lesson.executable)/index.html\">\(title)</a>" : title
            return "<li><h2>\(heading)</h2><p>\(escape(entry.lesson.summary))</p><p class=\"status\">\(escape(entry.status))</p></li>"
        }
        return page(
            title: "cf-lessons: collaborative filtering, one lesson at a time",
            body: """
                <main>
                <h1>Collaborative filtering, one lesson at a time</h1>
                <p>The course as it last ran: each lesson's narrative, tables, numbers and figures. Every figure is also a
                gnuplot script in its lesson's folder, and <a href="figures.html">the contact sheet</a> shows them all on one page.</p>
                <ol class="contents">
                \(items.joined(separator: "\n"))
                </ol>
                </main>
                """)
    }

    private static var parser: MarkdownParser {
        // Figures become <figure> with their title as caption.
        // The figure is written here from the Markdown `![title](file)`, so the title stays plain text in both places.
        MarkdownParser(modifiers: [
            Modifier(target: .images) { html, markdown in
                let text = String(markdown)
                guard text.hasPrefix("!["), let close = text.range(of: "]("), text.hasSuffix(")") else { return html }
                let caption = MarkdownText.plain(String(text[text.index(text.startIndex, offsetBy: 2)..<close.lowerBound]))
                let file = String(text[close.upperBound..<text.index(before: text.endIndex)])
                return "<figure><img src=\"\(escape(file))\" alt=\"\(escape(caption))\"/><figcaption>\(escape(caption))</figcaption></figure>"
            }
        ])
    }

    private static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>\(style)</style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }

    /// Text made safe inside HTML.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    private static let style = """
        :root { color-scheme: light; --ink: #1d232a; --muted: #5b6470; --rule: #dde2e7; --accent: #1f5fa8; --paper: #fdfdfc; }
        html { background: var(--paper); }
        body { margin: 0 auto; max-width: 50rem; padding: 1.5rem 1.25rem 4rem; color: var(--ink);
               font: 17px/1.6 Charter, "Bitstream Charter", "Iowan Old Style", Georgia, "DejaVu Serif", serif; }
        h1, h2, h3 { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; line-height: 1.25; }
        h1 { font-size: 1.9rem; margin: 1.5rem 0 1rem; }
        h2 { font-size: 1.35rem; margin: 2.2rem 0 0.6rem; padding-top: 0.6rem; border-top: 1px solid var(--rule); }
        a { color: var(--accent); }
        nav { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--muted);
              display: flex; gap: 0.6rem; flex-wrap: wrap; justify-content: space-between; padding: 0.5rem 0; }
        pre { background: #f3f5f7; border: 1px solid var(--rule); border-radius: 6px; padding: 0.8rem 1rem; overflow-x: auto;
              font: 14px/1.45 "DejaVu Sans Mono", Menlo, Consolas, monospace; }
        code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.9em; }
        table { border-collapse: collapse; margin: 0.8rem 0 1.4rem; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;
                display: block; overflow-x: auto; max-width: 100%; }
        th, td { padding: 0.3rem 0.7rem; border-bottom: 1px solid var(--rule); white-space: nowrap; font-variant-numeric: tabular-nums; }
        th { border-bottom: 2px solid #b8c0c8; text-align: left; }
        blockquote { margin: 1rem 0; padding: 0.2rem 1rem; border-left: 4px solid var(--rule); color: var(--muted); }
        figure { margin: 1.5rem 0; text-align: center; }
        figure img { width: 100%; max-width: 44rem; height: auto; border: 1px solid var(--rule); border-radius: 4px; background: #fff; }
        figcaption { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--muted); margin-top: 0.4rem; }
        ol.contents { padding-left: 0; list-style: none; }
        ol.contents h2 { border-top: none; margin-bottom: 0.2rem; }
        .status { color: var(--muted); font: 14px/1.4 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
        ul.sheet { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 1.2rem; }
        ul.sheet img { width: 100%; height: auto; border: 1px solid var(--rule); border-radius: 4px; background: #fff; }
        ul.sheet p { margin: 0.3rem 0; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
        ul.sheet .title { font-weight: 600; }
        ul.sheet .intro, ul.sheet .files { color: var(--muted); }
        """
}
