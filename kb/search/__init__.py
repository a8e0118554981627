"""Search: Whoosh indexing and querying, and the static index export (no Flask here)."""

from kb.search.engine import SearchEngine, engine_for
from kb.search.query import MAX_QUERY_CHARS, PER_PAGE, Hit, Results

__all__ = ["MAX_QUERY_CHARS", "PER_PAGE", "Hit", "Results", "SearchEngine", "engine_for"]
