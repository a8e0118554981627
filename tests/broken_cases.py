"""The broken-entry corpus of tests/cases/broken/ as tables: where each case's file goes and
what kb must say about it; shared by the tests of the checker, the build, the preview and the
French messages."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from support import CASES, EN, FR, OTHER, entry, make_site, pair, png

BROKEN = CASES / "broken"
NO_EN = (
    f"{FR}:2: entry 'planning' has no English translation: add a file under content/en/ "
    "with 'id: planning'"
)
GLOSSARY, TIMELINE, TOPICS = "content/glossary.yml", "content/timeline.yml", "content/topics.yml"
NEWLINE_NAME = "content/en/phase-2/planning\n.md"
ANCHOR = (
    "YAML anchor '&a' is not allowed: write the value out, or put it in quotes if it starts "
    "with '&'"
)


def unclosed(tag: str) -> str:
    return (
        f"{EN}:13: raw HTML <{tag}> is not closed: the rest of the answer would be lost from "
        f"the page. Put it in backticks (`<{tag}>`) to show it as code or close it with "
        f"</{tag}>"
    )


# case: (where its file goes, every line `kb check` prints for it)
ERRORS = {
    "invalid_yaml": (
        EN,
        [
            f"{EN}:3: the value of 'title' holds ': ': put the whole value in quotes, "
            "as in 'title: \"Phase 2: what changes?\"'"
        ],
    ),
    "missing_colon": (
        EN,
        [f"{EN}:4: 'phase phase-2' needs a colon after the key: 'phase: phase-2'"],
    ),
    "missing_colon_after_id": (
        EN,
        [f"{EN}:2: 'id planning' needs a colon after the key: 'id: planning'"],
    ),
    "missing_space_after_colon": (
        EN,
        [f"{EN}:4: 'phase:phase-2' needs a space after the colon: 'phase: phase-2'"],
    ),
    "unclosed_bracket": (
        EN,
        [
            f"{EN}:6: the list opened with '[' is not closed: end it with ']', "
            "as in 'topics: [timeline]'"
        ],
    ),
    "unclosed_quote": (
        EN,
        [
            f'{EN}:3: the quote " that starts the value is not closed: end the '
            'value with " on the same line'
        ],
    ),
    "bad_list_indentation": (
        EN,
        [f"{EN}:8: this list item is indented by 1 space(s), the one above by 2: line them up"],
    ),
    "indented_key": (
        EN,
        [
            f"{EN}:4: this line is indented, but the key above ('title') already "
            "has a value: remove the spaces at the start of the line"
        ],
    ),
    "indented_under_empty_key": (
        EN,
        [
            f"{EN}:3: 'title' is indented under 'id:', which has no "
            "value: remove the spaces at the start of the line, and "
            "give 'id' its value",
            NO_EN,
        ],
    ),
    "hash_in_title": (
        EN,
        [
            f"{EN}:3: YAML reads the text from '#' on as a comment, so 'title' "
            "loses it: put the whole value in quotes, as in "
            "'title: \"What is planning #2?\"'"
        ],
    ),
    "list_without_brackets": (
        EN,
        [
            f"{EN}:5: 'audiences: service-providers, ssms' lists several "
            "values without brackets: write "
            "'audiences: [service-providers, ssms]'"
        ],
    ),
    "duplicate_key": (
        EN,
        [f"{EN}:5: 'phase' is given twice (also on line 4): keep one of the two lines"],
    ),
    "missing_opening_fence": (
        EN,
        [
            f"{EN}:1: missing '---' above 'id: planning': the front "
            "matter must start with a line '---'; add it as the first "
            "line"
        ],
    ),
    "entry_link_with_space": (
        EN,
        [f"{EN}:13: 'entry: transition' has a space after 'entry:': write '(entry:transition)'"],
    ),
    "link_to_md_file": (
        EN,
        [
            f"{EN}:13: link to 'transition.md' would be broken on the "
            "published site: link entries by id, '(entry:transition)'"
        ],
    ),
    "link_to_missing_heading": (
        EN,
        [
            f"{EN}:15: link to '#who-decide': no heading has this "
            "anchor (did you mean '#who-decides'?)"
        ],
    ),
    "link_to_missing_heading_of_other_entry": (
        EN,
        [
            f"{EN}:13: link to 'entry:transition#no-such-heading': the page has no heading to "
            "link to: remove '#no-such-heading'"
        ],
    ),
    "image_without_alt": (
        EN,
        [
            f"{EN}:13: image '../../media/chart.png' has no alt text: describe "
            "it between the brackets, '![what it shows](../../media/chart.png)"
            "', or write '![decorative](../../media/chart.png)' if it adds "
            "nothing to the text"
        ],
    ),
    "image_missing_file": (
        EN,
        [
            f"{EN}:13: '../../media/nowhere.png' does not exist: put the file "
            "in content/media/ and link it by its path from this file, as in "
            "'../../media/nowhere.png'"
        ],
    ),
    "image_outside_media": (
        EN,
        [
            f"{EN}:13: image 'chart.png' is not in content/media/: put the "
            "file there and link it by its path from this file, as in "
            "'![alt text](../../media/name.png)'"
        ],
    ),
    "id_mismatch_one_letter": (
        FR,
        [
            f"{FR}:2: id 'planing' differs from the id 'planning' of the "
            f"English file {EN} (did you mean 'planning'?): both files of "
            "a pair need the same id"
        ],
    ),
    "missing_front_matter": (
        EN,
        [f"{EN}:1: missing front matter: the file must start with a line '---'", NO_EN],
    ),
    "unclosed_front_matter": (
        EN,
        [f"{EN}:1: front matter is not closed: add a line '---' after the last key"],
    ),
    "tab_in_yaml": (EN, [f"{EN}:6: YAML does not allow tabs: indent with spaces"]),
    "latin1_bytes": (EN, [f"{EN}:11: byte 0xe9 is not valid UTF-8: save the file as UTF-8"]),
    "empty_file": (
        EN,
        [f"{EN}:1: the file is empty: start it with '---', the front matter, then '---'", NO_EN],
    ),
    "duplicate_id": (
        "content/en/phase-2/planning-copy.md",
        [f"{EN}:2: duplicate id 'planning': content/en/phase-2/planning-copy.md has it too"],
    ),
    "id_mismatch": (
        FR,
        [
            f"{FR}:2: id 'planification' differs from the id 'planning' of the "
            f"English file {EN}: both files of a pair need the same id"
        ],
    ),
    "unknown_audience": (
        EN,
        [f"{EN}:5: unknown audience 'employers': use service-providers, ssms, social-assistance"],
    ),
    "unknown_phase": (
        EN,
        [
            f"{EN}:4: unknown phase 'phase-4': use one of prototype, phase-1, "
            "phase-2, phase-3, all (did you mean 'phase-3'?)"
        ],
    ),
    "unknown_topic": (
        EN,
        [
            f"{EN}:6: unknown topic 'budget': use timeline, contracts, funding, "
            "programs, roles, planning, disputes, consultation, results, "
            "social-assistance"
        ],
    ),
    "tag_that_cannot_take_its_value": (
        EN,
        [
            f"{EN}:10: 'ten' cannot be read as !!int: correct the value, or remove !!int to keep "
            "it as text"
        ],
    ),
    "impossible_date": (
        EN,
        [f"{EN}:7: updated '2023-02-30' is not a real date: write it as YYYY-MM-DD"],
    ),
    "link_to_missing_entry": (
        EN,
        [
            f"{EN}:13: link to a missing entry 'entry:transition-period': "
            "no entry has this id (did you mean 'entry:transition'?)"
        ],
    ),
    "heading_only": (EN, [f"{EN}:11: the entry has no answer text below the front matter"]),
    "bad_slug": (
        "content/en/phase-2/Planning Period.md",
        [
            "content/en/phase-2/Planning Period.md:1: file name 'Planning Period.md' is not a valid "
            "slug: use lower-case letters, digits and hyphens"
        ],
    ),
    "placeholder_in_published_entry": (
        EN,
        [
            f"{EN}:11: placeholder text 'TODO:' in a published "
            "entry (line 11): replace it, or set 'status: draft'"
        ],
    ),
    "published_translation_of_draft": (
        FR,
        [
            f"{FR}:8: status differs from the English entry {EN}: draft vs published; "
            "give both files the same status"
        ],
    ),
    "five_megabyte_entry": (
        EN,
        [f"{EN}:1: file is 5.0 MB: entries must stay under 1 MB, split it into several"],
    ),
    "alias_bomb_in_id": (EN, [f"{EN}:2: {ANCHOR}", NO_EN]),
    "alias_bomb_in_updated": (EN, [f"{EN}:3: {ANCHOR}"]),
    "alias_bomb_in_status": (EN, [f"{EN}:3: {ANCHOR}"]),
    "alias_bomb_in_glossary": (GLOSSARY, [f"{GLOSSARY}:2: {ANCHOR}"]),
    "alias_bomb_in_timeline": (TIMELINE, [f"{TIMELINE}:3: {ANCHOR}"]),
    "phase_as_list": (
        EN,
        [
            f"{EN}:4: phase is a list: write one value, one of prototype, phase-1, "
            "phase-2, phase-3, all"
        ],
    ),
    "audiences_nested_list": (
        EN,
        [f"{EN}:5: audiences holds a list: list plain values, for example [service-providers]"],
    ),
    "topics_list_of_mappings": (
        EN,
        [f"{EN}:6: topics holds a mapping (key: value): list plain values, for example [timeline]"],
    ),
    "glossary_abbr_number": (
        GLOSSARY,
        [f"{GLOSSARY}:1: glossary item 'planning-period': en: abbr must be text; put it in quotes"],
    ),
    "order_5000_digits": (
        EN,
        [f"{EN}:10: invalid YAML: a number of 5000 digits: write a shorter number"],
    ),
    "nesting_1001_deep": (
        EN,
        [f"{EN}:10: lists and mappings are nested more than 10 deep: flatten the value"],
    ),
    "unclosed_style": (EN, [unclosed("style")]),
    "unclosed_script": (EN, [unclosed("script")]),
    "unclosed_template": (EN, [unclosed("template")]),
    "unclosed_title": (EN, [unclosed("title")]),
    "unclosed_textarea": (EN, [unclosed("textarea")]),
    "unclosed_xmp": (EN, [unclosed("xmp")]),
    "duplicate_topic_slug": (
        TOPICS,
        [
            f"{TOPICS}:4: topic 'periods': en.slug 'dates-and-periods' "
            "is also the slug of topic 'timeline': give each topic its "
            "own slug"
        ],
    ),
    "id_with_trailing_newline": (
        EN,
        [f"{EN}:2: id 'planning\\n' must be lower-case letters, digits and hyphens", NO_EN],
    ),
    "escape_codes_in_phase": (
        EN,
        [
            f"{EN}:4: unknown phase '\\x1b[2J\\x1b[31mphase-2': use one of "
            "prototype, phase-1, phase-2, phase-3, all (did you mean "
            "'phase-2'?)"
        ],
    ),
    # Made at test time (see site_with):
    "named_pipe": (
        EN,
        [f"{EN}:1: is a named pipe, not a file: remove it or replace it with a file", NO_EN],
    ),
    "link_out_of_content": (
        EN,
        [
            f"{EN}:1: is a symbolic link to {{outside}}, outside content/: "
            "copy the file into content/ instead",
            NO_EN,
        ],
    ),
    "newline_in_file_name": (
        NEWLINE_NAME,
        [
            "content/en/phase-2/planning\\n.md:1: file name 'planning\\n.md' is not a valid slug: use "
            "lower-case letters, digits and hyphens"
        ],
    ),
    "three_megabyte_glossary": (
        GLOSSARY,
        [f"{GLOSSARY}:1: file is 3.0 MB: data files must stay under 2 MB"],
    ),
}
# case: (where its file goes, the warning, what must not reach the page)
SANITISED = {
    "raw_script": (
        EN,
        f"{EN}:13: warning: raw HTML <script> is removed from the published page: "
        "write the content in Markdown",
        "alert(",
    ),
    "onerror_attribute": (
        EN,
        f"{EN}:13: warning: raw HTML attribute 'onerror' on <span> is "
        "removed from the published page",
        "onerror",
    ),
    "iframe": (
        EN,
        f"{EN}:13: warning: raw HTML <iframe> is removed from the published page: "
        "write the content in Markdown",
        "<iframe",
    ),
    "javascript_link": (
        EN,
        f"{EN}:13: warning: link 'javascript:' is removed from the published "
        "page (its text stays, without a link): use an http, https, mailto or "
        "tel link",
        "javascript:",
    ),
    "ftp_link": (
        EN,
        f"{EN}:13: warning: link 'ftp:' is removed from the published page (its "
        "text stays, without a link): use an http, https, mailto or tel link",
        "ftp:",
    ),
    "raw_img": (
        EN,
        f"{EN}:13: warning: raw HTML <img> is removed from the published page: write "
        "the image in Markdown, ![alt text](../../media/name.png)",
        "<img",
    ),
    # The name kb gives Markdown images on their way through the sanitiser, written by hand: it
    # must not smuggle in an image without alt text, size check or file in content/media/.
    "spoofed_markdown_image": (
        EN,
        f"{EN}:13: warning: raw HTML <kb-markdown-image> is removed "
        "from the published page: write the image in Markdown, "
        "![alt text](../../media/name.png)",
        "tracker.example",
    ),
}
ACCEPTED = {"bom": EN, "windows_line_endings": EN}
GENERATED = {
    "five_megabyte_entry",
    "named_pipe",
    "link_out_of_content",
    "newline_in_file_name",
    "three_megabyte_glossary",
}  # made at test time rather than committed


def source(case: str) -> bytes:
    if case == "five_megabyte_entry":
        return entry(body="word " * 1_000_000).encode("utf-8")
    if case == "three_megabyte_glossary":
        return b"# " + b"x" * 3_000_000 + b"\n"
    if case in GENERATED:
        return entry().encode("utf-8")
    [file] = BROKEN.glob(f"{case}.*")
    return file.read_bytes()


def destination(case: str) -> str:
    places = {case: place for case, (place, _) in ERRORS.items()}
    places |= {case: place for case, (place, _, _) in SANITISED.items()}
    return {**places, **ACCEPTED}[case]


def site_with(folder: Path, case: str) -> Path:
    """A two-entry site where the case's file replaces (or joins) the planning entry's."""
    files = {**pair(), **OTHER, "content/media/chart.png": png(3, 2)}
    if case in ("bad_slug", "newline_in_file_name"):
        del files[EN]
    files[destination(case)] = source(case)
    root = make_site(folder, files)
    if case == "named_pipe":  # a FIFO would block whoever opens it: kb must never open it
        (root / EN).unlink()
        os.mkfifo(root / EN)
        threading.Thread(target=unblock, args=(root / EN,), daemon=True).start()
    if case == "link_out_of_content":  # a private file of the machine, published through a link
        (root / "private").mkdir()
        (root / EN).rename(root / "private" / "notes.md")
        (root / EN).symlink_to(root / "private" / "notes.md")
    return root


def unblock(fifo: Path) -> None:
    """Should kb open the named pipe, end its wait (it reads nothing): a failure, not a hang."""
    deadline = time.monotonic() + 120
    while fifo.exists() and time.monotonic() < deadline:
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # succeeds only with a reader
        except OSError:
            time.sleep(0.05)


# Every key gets every wrong type: each answer is path:line: message, never a traceback.
WRONG = {
    "a list": "[all]",
    "a nested list": "[[ssms]]",
    "a list of mappings": "[{a: 1}]",
    "a mapping": "{a: 1}",
    "a number": "5",
    "a yes/no": "true",
    "a 5,000-digit number": "1" * 5000,
    "a nesting 20 deep": "[" * 20 + "]" * 20,
}
KEY_LINES = {
    "id": 2,
    "title": 3,
    "phase": 4,
    "audiences": 5,
    "topics": 6,
    "updated": 7,
    "status": 8,
    "period": 9,
    "summary": 10,
    "order": 10,
}
