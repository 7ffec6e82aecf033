"""Text as it is shown in a message, a list or a table cell, or as part of a file name."""

from __future__ import annotations

import re
import unicodedata


def shortened(text: str, limit: int = 16) -> str:
    """At most ``limit`` characters, the last of them “…” when the text was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quoted(text: str) -> str:
    """``text`` in “”, quotes inside it turned into ‘’ as Chinese nests them: 行动“2026年‘三清单一承诺’”,
    not 行动“2026年“三清单一承诺””."""
    return "“" + text.replace("“", "‘").replace("”", "’") + "”"


# What Windows refuses in a file name; control characters are not printable and go anyway.
_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|]')
# Quotation marks are noise in a file name: 反对“挈篮子”承诺书 → 反对挈篮子承诺书.
_QUOTES = re.compile("[“”‘’「」『』\"']")
_WHITESPACE = re.compile(r"\s+")
_WINDOWS_DEVICES = re.compile(r"^(CON|PRN|AUX|NUL|COM\d|LPT\d)$", re.IGNORECASE)


def file_name_part(text: str, limit: int = 40) -> str:
    """``text`` (a unit's name, a title) as one piece of a file name that Windows accepts.

    Quotes, spaces and invisible characters go, a character Windows forbids becomes “_”; no
    dot, space or “_” at either end, no device name (CON, NUL …); at most ``limit`` characters,
    never empty.
    """
    text = _WHITESPACE.sub("", _QUOTES.sub("", unicodedata.normalize("NFC", text)))
    text = _NOT_IN_FILE_NAMES.sub("_", "".join(ch for ch in text if ch.isprintable()))
    text = text.strip("._")[:limit].rstrip(".")
    if not text or _WINDOWS_DEVICES.match(text):
        text = f"_{text}"
    return text
