"""Markdown rendering: links between entries, acronyms, extensions, and a sanitiser that holds."""

from __future__ import annotations

import pytest

from kb.content import load_site
from kb.markdown import Renderer, plain_text, sanitise

from support import make_site


def render(body: str, abbreviations: dict | None = None) -> str:
    known = {"planning": "../planning/"}
    return Renderer(known.get, abbreviations or {}).render(body)


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">click</a>',
        "[click](javascript:alert(1))",
        '<iframe src="https://example.org"></iframe>',
        '<p onclick="alert(1)" style="background:url(javascript:alert(1))">x</p>',
        "<svg><script>alert(1)</script></svg>",
        '<object data="x.swf"></object><embed src="x">',
        "<form action='/x'><input name=a></form>",
    ],
)
def test_raw_html_cannot_inject_script(hostile):
    html = render(f"Intro.\n\n{hostile}\n\nOutro.").lower()
    for forbidden in (
        "<script",
        "onerror",
        "onclick",
        "javascript:",
        "<iframe",
        "<object",
        "<embed",
        "<form",
        "style=",
    ):
        assert forbidden not in html
    assert "intro." in html and "outro." in html


@pytest.mark.parametrize(
    "spoof",
    [
        '<kb-markdown-image src="https://tracker.example/x.png" alt="">',
        'Text <KB-Markdown-Image src="../../media/chart.png" width="9000">inline</KB-Markdown-Image>',
        '<kb-markdown-image src="/etc/passwd"></kb-markdown-image>',
    ],
)
def test_the_name_kb_gives_markdown_images_cannot_be_written_by_hand(tmp_path, spoof):
    """Only Markdown images (file in content/media/, alt text, real size) become <img>."""
    (tmp_path / "media").mkdir()
    html = Renderer({}.get, {}, content=tmp_path).render(
        f"Intro.\n\n{spoof}\n\nOutro.", "content/en/phase-2/x.md"
    )
    assert "<img" not in html and "kb-markdown-image" not in html.lower(), html
    assert "Intro." in html and "Outro." in html


def test_entry_links_resolve_and_keep_anchors():
    html = render("See [planning](entry:planning#dates) and [gone](entry:nowhere).")
    assert '<a href="../planning/#dates">planning</a>' in html
    assert '<a href="#">gone</a>' in html


def test_acronyms_get_their_expansion():
    html = render(
        "Each SSM and the SSMs.",
        {"SSM": "Service System Manager", "SSMs": "Service System Managers"},
    )
    assert '<abbr title="Service System Manager">SSM</abbr>' in html
    assert '<abbr title="Service System Managers">SSMs</abbr>' in html


def test_tables_footnotes_and_heading_anchors():
    html = render(
        "## Key dates\n\n| Period | Dates |\n|---|---|\n| Planning | 2023 |\n\n"
        "A fact.[^1]\n\n[^1]: The source."
    )
    assert '<h2 id="key-dates">Key dates</h2>' in html
    assert "<table>" in html and "<td>Planning</td>" in html
    assert 'class="footnote"' in html and "The source." in html


def test_sanitiser_keeps_safe_markup():
    html = '<p><a href="https://example.org" title="t">x</a> <abbr title="y">Y</abbr></p>'
    assert sanitise(html) == html


def test_glossary_acronyms_are_marked_in_entries(tmp_path):
    glossary = (
        "- id: ssm\n  en: {term: Service System Manager, abbr: SSM, definition: d}\n"
        "  fr: {term: gestionnaire de système de services, abbr: GSS, definition: d}\n"
    )
    from support import entry

    site = load_site(
        make_site(
            tmp_path,
            {
                "content/glossary.yml": glossary,
                "content/en/a.md": entry(body="The SSM plans."),
                "content/fr/a.md": entry(body="Le GSS planifie."),
            },
        )
    )
    assert '<abbr title="Service System Manager">SSM</abbr>' in site.get("en", "planning").html
    assert (
        '<abbr title="gestionnaire de système de services">GSS</abbr>'
        in site.get("fr", "planning").html
    )


def test_plain_text_keeps_blocks_apart_as_sentences():
    html = (
        "<h2 id='p'>Programs in scope</h2>\n<ul>\n<li>Employment Service</li>\n"
        "<li>Youth Job Connection</li>\n</ul>\n<p>Planning period\u00a0: from <em>February</em>.</p>"
    )
    assert plain_text(html) == (
        "Programs in scope. Employment Service. Youth Job Connection. "
        "Planning period\u00a0: from February."
    )
    assert plain_text("<p>One\n  line</p><p></p>") == "One line."


# Bodies where kb.mdfast's processors could part from Python-Markdown's own: abbreviations in
# code, links, headings and emphasis, each inline syntax and its escapes, reference links with
# and without definitions (one body after another), the [TOC] marker, raw HTML, images.
TRICKY = [
    "EO and EOs, `EO`, [EO link](entry:planning), **EO** _EO_ ***EO***, EO-x x-EO EO_x l’EO.",
    "## EO heading\n\n### The SSM *role* `x`\n\n#### IES [link](https://eo.ca)\n\n## EO heading\n",
    "## Head {#custom}\n\nA paragraph EO\n{: .para }\n\n## Other {: .h lang=fr }",
    "Text <span>EO</span> <b>bold</b> <script>alert(1)</script> <img src=x> EO.",
    "```\nEO <b>code</b> `x`\n```\n\n    indented EO <i>\n\nEO",
    '![alt EO](../../media/chart.png) ![Decorative](../../media/chart.png "t") ![x][ref]\n\n'
    "[ref]: ../../media/chart.png",
    "[x][ref] [ref] ![y][ref] [z][] and [^1] with no definition at all.",
    '[x][ref] and [ref][]\n\n[ref]: https://example.org "Title EO"',
    "*emph **strong *deep* EO** x* __under _score_ EO__ a_b_c snake_case and * lone star",
    "Break  \nhere EO  \nand \\*escaped\\* \\`tick\\` \\[bracket] &amp; &copy; &#169; AT&T < 3 > 2",
    "<https://example.org/EO> <a@b.ca> <mailto:a@b.ca> <https://x.y/?a=1&b=2>",
    "[TOC]\n\n## First EO\n\n## Second\n\n### Third\n",
    "\\[TOC]\n\n## One\n\n## One\n",
    "Note[^1] EO and[^n].\n\n[^1]: The EO note with `code`.\n[^n]: Second *note*.",
    "*[HTML]: Hyper Text\n*[EO]: Overridden\n\nHTML and EO here.",
    "*[EO]: ''\n\nEO cleared; SSM kept.",
    "| Col EO | Col *B* |\n|---|:-:|\n| a `|` b | [l](entry:nowhere) |\n| EO | <i>x</i> |\n",
    "Term EO\n:   Definition with EO and *em*.\n\n1. one EO\n2. two\n\n* a\n* b EO",
    "[a](catchment:#phase-2) [b](entry:planning#dates) [d](javascript:alert(1)) "
    "[`code link`](entry:planning) ``double `tick` `` *star `code` star*",
    "<div markdown=1>EO *x*</div>\n\n<div>\nblock EO\n</div>\n\n<!-- EO -->\n\n<?php x ?>",
    "Unclosed `code and *emphasis and [link and <b and &amp",
    # Blocks, for the block processors tried only on blocks holding what they need:
    "# One\n\n## Two ##\nText # not a heading\n\nSetext EO\n=\n\nOther\n-\n\nA - b = c",
    "***\n\n- - -\n\n___\n\n* * *\nafter\n\n--\n\n_a_ *b* -c-",
    "a | b\n--|--\n1 | 2\n\n| one |\n| --- |\n| x |\n\nx | y with no separator\n\n|\n|",
    "> quoted EO\n> > nested\n\n3 > 2 and a>b\n\n>\n",
    "Term\n: one\n:   two\n\nA time: 10:30, not a definition\n\n: lone colon",
    "Term\n\n   : three spaces\n\nOther\n  : two\n\n-  -  -\n\n*  *  *\n\n_ _ _\n\n- -x",
    "Text[^a] more\n[^a]: Inside the block.\n[^b]: Another.\n\n[^]: empty id",
    "Before\n*[SSM]: Service System Manager\nSSM after\n\n*[ not an abbreviation",
    "Text [r] here\n[r]:https://example.org 'T'\n[s]: <https://x.y>\n\n[x]: y: z\n\n]: odd",
    "See [q] and [q][].\n\n[q]:https://example.org",
    "1. one\n2. two\n\n    code in the list\n\n- a\n    - b\n+ c\n\n10) paren",
    "_",
    "`",
    "[",
    "",
    # Sources without a backslash, a < or an &, and with one only in code or raw HTML:
    "No escape here, only *words* and `code`.\n\n    indented\n\nEnd",
    "```\na \\* b\n```\n\n<div>c \\* d</div>\n\nand `e \\\\ f`",
    "A lone & and a lone < here.\n\nAnd \\ alone, a\\b, \\\\ twice.",
    # Links and images whose text and target are found at once, or walked:
    '[a [b] c](x) [a](b (c)) [t](b "title") [t](b \'q\') [u](<b c> "t") [v](b\n c) [w](  s  )',
    '[x]( b) [y](b [z](c) ![i](m.png) ![j](m.png "t") [k\\]l](m) [n](o\\)p) [q](r) tail',
    "[unclosed](b and [open text(c) and ](d) [e]() [f](<>) [g](h'i) [j](k\"l)",
    # Headings named by their text, or by their serialised HTML:
    "## 1 < 2 & 3 > 0\n\n## AT&amp;T &copy;\n\n## Tab\u00a0and  spaces \n\n##\n\n## \\*Star\\*",
    '## Short {: data-toc-label="S" }\n\n## Long {: #long data-toc-label="L" }\n\n## Long',
    "> ## Quoted\n\n- ## In a list\n\n## Note[^1]\n\n[^1]: A note.\n\n## Note",
    '<p id="taken">x</p>\n\n## Taken\n\n## Taken\n\n## Taken_1\n\nText {: #taken }',
    "# One\n\n###### Six\n\n## `code` heading\n\n## <b>raw</b> heading\n\n## ÉO à l’été",
    # Lines of spaces (blank or not), tabs, carriage returns; fences of backticks and tildes:
    "One  \n   \nTwo\t\n\t\nThree\r\n  \r\nFour\rFive \n \n- a\n    \n- b",
    "A\n \nB",
    "C\n\t\nD",
    "~~~\nEO ~~ tilde\n~~~\n\n~~ two ~~",
    "````python\ncode  \n   \n````\n\n`` two ``\n\n```\nopen",
    "Text ``` inline fence ``` and ~~~ tildes ~~~ mid-line\n\n  ```\n  indented fence\n  ```",
]


def test_plain_text_strips_tags_as_an_html_parser_does(tmp_path):
    """plain_text finds tags with a regex; on sanitised HTML it keeps what a parser keeps (nh3
    told to keep no tag), attributes holding '>' and '<' and fragments cut at headings included,
    but for two places where a parse moves text and the regex leaves it where it is."""
    import html as html_module
    import re

    import nh3

    from kb.markdown import BLOCK_END, BREAK
    from kb.search.passages import H2

    parser = nh3.Cleaner(tags=set())

    def parsed(html: str) -> str:
        text = html_module.unescape(parser.clean(BLOCK_END.sub(BREAK, html)))
        blocks = re.sub(r"[ \t\n\r\f\v]+", " ", text).split(BREAK)
        sentences = [block.strip(" ") for block in blocks if block.strip(" ")]
        return " ".join(s if s.endswith(tuple(".!?:;…")) else f"{s}." for s in sentences)

    renderer = Renderer({"planning": "../planning/"}.get, {"EO": 'Employment "Ontario" <EO>'})
    bodies = [
        *TRICKY,
        '[a > b](https://x.ca/?q=<b> "x > y < z") and <abbr title="1 > 2">T</abbr> &lt;i&gt;',
        "## A > B & C\n\nText\u00a0: 37\u00a0%\n\n## <em>Second</em> 'quoted'\n\n| a | b |\n|-|-|\n| 1 | 2 |",
    ]
    checked = 0
    for body in bodies:
        html = renderer.render(body)
        for piece in [html, *H2.split(html)]:
            assert plain_text(piece) == parsed(piece), piece
            checked += 1
    # The sanitiser escapes '>' in attributes too; a tag that holds one still ends at its '>'.
    # Every ASCII space collapses, a no-break space is kept.
    pieces = [
        '<p><a title="x > y" href="/">a</a> b</p>',
        "<p>x<br>y</p><ol><li>z</li></ol>",
        "<p> a\t\tb\r\n c\f\vd\u00a0 e </p>\n\n<p>\u00a0</p><p> \t</p>",
    ]
    for piece in pieces:
        assert plain_text(piece) == parsed(piece)
        checked += 1
    assert checked > len(bodies)
    # A parse drops the newline that opens a <pre> (running the block into the text before
    # it) and puts text left directly in a table (an unknown <caption> removed) before it.
    pre = renderer.render("<div>abc<pre>\n\nfoo</pre></div>")
    assert (plain_text(pre), parsed(pre)) == ("abc foo.", "abcfoo.")
    table = renderer.render("<table><tr><td>a</td></tr><caption>Cap</caption></table>")
    assert (plain_text(table), parsed(table)) == ("a. Cap.", "Capa.")
    assert plain_text(renderer.render(bodies[-2])) == "a > b and T <i>."


def test_quick_processors_render_as_python_markdown_does(tmp_path, monkeypatch):
    """kb.mdfast's inline pass, abbr and toc give the HTML of Python-Markdown's own, byte for
    byte, body after body on one Renderer."""
    import struct
    import zlib

    from markdown.extensions.toc import TocExtension

    from kb import mdblocks, mdfast

    (tmp_path / "media").mkdir()
    ihdr = struct.pack(">IIBBBBB", 3, 2, 8, 2, 0, 0, 0)
    (tmp_path / "media" / "chart.png").write_bytes(
        b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr
        + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    )  # fmt: skip
    abbreviations = {"EO": "Employment Ontario", "EOs": "Employment Ontarios", "SSM": "S", "x": ""}

    def renderer() -> Renderer:
        return Renderer(
            {"planning": "../planning/"}.get, abbreviations, tmp_path, {"": "../a/"}.get
        )

    quick = renderer()
    assert isinstance(quick._md.treeprocessors["inline"], mdfast.QuickInline)
    assert isinstance(quick._md.treeprocessors["abbr"], mdfast.QuickAbbr)
    assert isinstance(quick._md.treeprocessors["toc"], mdfast.QuickToc)
    assert isinstance(quick._md.treeprocessors["attr_list"], mdfast.QuickAttrList)
    assert isinstance(quick._md.preprocessors["normalize_whitespace"], mdblocks.QuickWhitespace)
    assert isinstance(quick._md.preprocessors["fenced_code_block"], mdblocks.QuickFencedCode)
    monkeypatch.setattr(mdfast, "install", lambda md: None)
    monkeypatch.setattr(mdfast, "QuickTocExtension", TocExtension)
    stock = renderer()
    assert type(stock._md.treeprocessors["toc"]).__name__ == "TocTreeprocessor"
    # Each quick processor stands where Python-Markdown's own stands, and is one of its kind.
    for kind in ("preprocessors", "treeprocessors"):
        quick_order, stock_order = list(getattr(quick._md, kind)), list(getattr(stock._md, kind))
        assert len(quick_order) == len(stock_order)
        assert all(isinstance(q, type(s)) for q, s in zip(quick_order, stock_order))
    for body in TRICKY + TRICKY[::-1]:
        for path in ("", "content/en/phase-2/x.md"):
            assert quick.render(body, path) == stock.render(body, path), body
            # Before the sanitiser too (it removes attributes such as data-toc-label).
            assert quick._md.reset().convert(body) == stock._md.reset().convert(body), body
    assert 'height="2"' in quick.render(TRICKY[5], "content/en/phase-2/x.md")
    assert isinstance(quick._md.parser.blockprocessors, mdblocks.FixedOrder)
    assert type(stock._md.parser.blockprocessors) is not mdblocks.FixedOrder
    assert '<div class="toc">' in quick.render(TRICKY[11]) and "toc" not in quick.render(TRICKY[1])


def test_quick_processors_render_the_synthetic_site_as_python_markdown_does(
    synthetic_site, monkeypatch
):
    """Every body of a generated site (lists, tables, links, abbreviations) gives the same HTML
    through kb.mdfast's processors as through Python-Markdown's own."""
    from markdown.extensions.toc import TocExtension

    from kb import mdfast
    from kb.bodies import _renderer

    quick = {lang: _renderer(synthetic_site, lang) for lang in ("en", "fr")}
    monkeypatch.setattr(mdfast, "install", lambda md: None)
    monkeypatch.setattr(mdfast, "QuickTocExtension", TocExtension)
    stock = {lang: _renderer(synthetic_site, lang) for lang in ("en", "fr")}
    entries = list(synthetic_site.entries.values())
    assert len(entries) >= 300
    for entry in entries:
        expected = stock[entry.lang].render(entry.body, entry.path)
        assert quick[entry.lang].render(entry.body, entry.path) == expected, entry.path


def test_text_and_parts_give_the_plain_text_and_each_sections(synthetic_site):
    """text_and_parts() makes each piece plain once: the whole is plain_text() of the whole,
    heading in raw HTML or not, and the parts are plain_text() of each piece."""
    from kb.markdown import H2, text_and_parts

    renderer = Renderer({"planning": "../planning/"}.get, {"EO": "Employment Ontario"})
    bodies = [
        *TRICKY,
        "Intro\n\n## A & B\n\nText\n\n- item\n\n## Next\n\n| a |\n|---|\n| 1 |",
        '<div>run on<h2 id="x">Into a heading</h2>after</div>\n\n## Real\n\nText',
        '<div>\n<h2 id="y">Raw heading</h2>\n</div>\n\n## Second\n\nEnd &amp; more',
        "## Only a heading",
        "No heading at all.",
        'Intro\n\n## Heading {: #real lang="x id=" }\n\nBody "quoted" text\n\n## Two\n\nMore',
    ]
    htmls = [renderer.render(body) for body in bodies]
    htmls += [entry.html for entry in synthetic_site.entries.values()]
    cut = 0
    for html in htmls:
        text, parts = text_and_parts(html)
        assert text == plain_text(html), html
        pieces = H2.split(html)
        if len(pieces) == 1:
            assert parts == ()
            continue
        cut += 1
        expected = (
            plain_text(pieces[0]),
            tuple(
                (pieces[i], plain_text(pieces[i + 1]), plain_text(pieces[i + 2]))
                for i in range(1, len(pieces), 3)
            ),
        )
        assert parts == expected, html
    assert cut > 100
    # A heading held in raw HTML runs on from the text before it in the whole text: the
    # pieces joined would not give it.
    raw = htmls[len(TRICKY) + 1]
    before, sections = text_and_parts(raw)[1]
    joined = " ".join([before, *(t for _, heading, body in sections for t in (heading, body))])
    assert joined != plain_text(raw) == text_and_parts(raw)[0]
    # An id="…" inside another attribute's value starts no section.
    odd = htmls[len(bodies) - 1]
    assert 'id="real"' in odd and [part[0] for part in text_and_parts(odd)[1][1]] == ["real", "two"]


def test_search_sections_are_those_of_the_html(site):
    """The sections the search shows are those of each answer's HTML, from the parts the
    answer carries or made again from its HTML."""
    import dataclasses

    from kb.search.passages import sections

    checked = 0
    for entry in site.entries.values():
        if not entry.parts:
            continue
        checked += 1
        assert sections(entry) == sections(dataclasses.replace(entry, parts=()))
    assert checked > 10
