"""Query parameters read the same way everywhere: ids and counts are ASCII digits within a
database integer (a 2^63 `?limit=` or a `²` would otherwise reach SQL and answer 500)."""

MAX_ID = 2**31 - 1


def id_parse(raw: str | None) -> int | None:
    """A positive id or count up to MAX_ID from query text, or None if it is not one."""
    text = (raw or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    value = int(text)
    return value if value <= MAX_ID else None
