"""Search: Whoosh indexing and querying, and the static index export (no Flask here)."""
