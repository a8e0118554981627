"""Search results as `kb search` prints them for a reader at a terminal."""

from __future__ import annotations

import textwrap

from kb.search.query import Results


def listing(results: Results) -> str:
    """Numbered hits: title, then URL, source and score, then the snippet."""
    lines = []
    if not results.hits:
        lines.append(f"No entry matches '{results.query}'.")
    elif results.relaxed:
        lines.append("No entry has every word; these have some of them.")
    for number, hit in enumerate(results.hits, start=1):
        lines.append(f"{number:>2}. {hit.doc.title}")
        lines.append(f"    {hit.doc.url}  {hit.doc.source}  score {hit.score:g}")
        lines.extend(
            textwrap.wrap(
                hit.snippet_text, width=96, initial_indent="    ", subsequent_indent="    "
            )
        )
    if results.suggestion:
        lines.append(f"Did you mean: {results.suggestion}")
    return "\n".join(lines)
