"""The draft a template editor works on, and its edits as undoable commands.

The draft is the template-file-shaped dict of ``domain.template_draft``; a place in it
is a path such as ``("lists", 1, "items")``. Every change goes through
``DraftModel.set`` as a ``SetValueCommand`` on the editor's own QUndoStack, so it can
be undone; typing in one field makes one command that grows with each key (Qt merges
it), not one per key. ``changed`` tells the widgets to show the draft again.
"""

from __future__ import annotations

import copy

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

Path = tuple

_MERGE_ID = 1201  # any constant: commands of this class merge with each other (see mergeWith)


class _Missing:
    """A key the draft does not have (``all_staff`` and ``synonyms`` are written only when used)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


def get_path(data, path: Path):
    for key in path:
        if isinstance(data, dict) and key not in data:
            return MISSING
        data = data[key]
    return data


def _set_path(data, path: Path, value) -> None:
    parent = get_path(data, path[:-1])
    if value is MISSING:
        parent.pop(path[-1], None)
    else:
        parent[path[-1]] = value


class SetValueCommand(QUndoCommand):
    """Put ``new`` at ``path``; undo puts ``old`` back. ``typing``: merge with the previous typing
    in the same field, so a word typed is undone at once."""

    def __init__(self, model: DraftModel, path: Path, old, new, text: str, *, typing: bool = False):
        super().__init__(text)
        self.model, self.path, self.old, self.new, self.typing = model, path, old, new, typing

    def id(self) -> int:
        return _MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (self.typing and isinstance(other, SetValueCommand) and other.typing and other.path == self.path):
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        self.model.put(self.path, self.new if self.new is MISSING else copy.deepcopy(self.new))

    def undo(self) -> None:
        self.model.put(self.path, self.old if self.old is MISSING else copy.deepcopy(self.old))


class DraftModel(QObject):
    """The draft plus its undo stack; widgets read with ``value`` and write with ``set``."""

    changed = Signal(object)  # the path that changed

    def __init__(self, draft: dict, parent: QObject | None = None):
        super().__init__(parent)
        self.draft = copy.deepcopy(draft)
        self.undo_stack = QUndoStack(self)

    def value(self, path: Path, default=None):
        found = get_path(self.draft, path)
        return default if found is MISSING else copy.deepcopy(found)

    def set(self, path: Path, value, text: str, *, typing: bool = False) -> None:
        """Change the draft as one undoable step (nothing happens when the value is the same)."""
        old = get_path(self.draft, path)
        if old == value:
            return
        old = old if old is MISSING else copy.deepcopy(old)
        self.undo_stack.push(SetValueCommand(self, path, old, copy.deepcopy(value), text, typing=typing))

    def put(self, path: Path, value) -> None:
        """Change the draft without an undo step (the commands themselves, and saving)."""
        _set_path(self.draft, path, value)
        self.changed.emit(path)

    def replace(self, draft: dict) -> None:
        """After saving: the stored state (new id or version) without touching the undo history."""
        self.draft = copy.deepcopy(draft)
        self.changed.emit(())
