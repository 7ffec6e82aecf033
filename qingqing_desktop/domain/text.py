"""Text as it is shown in a message, a list or a table cell."""

from __future__ import annotations


def shortened(text: str, limit: int = 16) -> str:
    """At most ``limit`` characters, the last of them “…” when the text was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
