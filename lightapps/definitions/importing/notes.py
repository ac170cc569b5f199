"""Import notes: what was changed or dropped, one entry per JSON pointer, never a whole subschema."""

import json
from typing import Any

from ..dialect.checks import pointer

# An echoed value (a choice, a $ref, a type list) is cut here; a subschema is never echoed.
ECHO_LIMIT = 60


def short(value: Any) -> str:
    """A value as the designer wrote it, at most ECHO_LIMIT characters."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= ECHO_LIMIT else text[: ECHO_LIMIT - 1] + "…"


class Notes:
    """The notes of one import, in the order met; a second message for a pointer joins the first."""

    def __init__(self) -> None:
        self._by_pointer: dict[str, list[str]] = {}

    def add(self, where: tuple | str, message: str) -> None:
        at = where if isinstance(where, str) else pointer(*where)
        messages = self._by_pointer.setdefault(at, [])
        if message not in messages:
            messages.append(message)

    def has(self, where: tuple | str) -> bool:
        return (where if isinstance(where, str) else pointer(*where)) in self._by_pointer

    def as_list(self) -> list[dict]:
        return [{"pointer": p, "message": "；".join(m)} for p, m in self._by_pointer.items()]
