"""Errors the services raise for the UI and the CLI to show.

``InputRejected`` means: the user's input (a file, a field, a command argument)
was refused and nothing was written. Its message is Chinese and names where the
problem is (file, sheet, row, field) so a clerk can fix it without help.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where in the user's input a problem sits; every part is optional."""

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    field: str | None = None

    def describe(self) -> str:
        parts = []
        if self.file:
            parts.append(f"文件“{self.file}”")
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.field:
            parts.append(f"“{self.field}”栏")
        return "，".join(parts)


class QingqingError(Exception):
    """Base of the errors this application raises on purpose."""


class InputRejected(QingqingError):
    """Input refused; nothing was written. ``str(exc)`` is the full Chinese message."""

    def __init__(self, message: str, location: Location | None = None):
        self.reason = message
        self.location = location or Location()
        where = self.location.describe()
        super().__init__(f"{where}：{message}" if where else message)


class DatabaseRefused(QingqingError):
    """The database cannot be opened safely (newer schema, not a database, bad place)."""


# --------------------------------------------------------------------------- faults of the machine
# The wording of every fault a clerk can meet (damaged database, full disk, locked database, a file
# that cannot be written). ``store.faults.refusal`` turns low-level exceptions into these; the CLI and
# the GUI only show them.


def format_size(size: int) -> str:
    """Bytes for a clerk: 512 KB, 3.4 MB, 1.2 GB."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    if size < 1024 * 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{size / 1024 / 1024 / 1024:.1f} GB"


@dataclass(frozen=True)
class BackupOffer:
    """A backup that passed every check, offered in place of a damaged database."""

    path: str
    taken: str  # e.g. 2026年12月4日 16:40
    label: str  # e.g. 手动备份
    people: int

    def describe(self) -> str:
        return f"{self.taken} 的{self.label}（{self.people} 人）：{self.path}"


class DatabaseDamaged(DatabaseRefused):
    """The database failed an integrity check: nothing is written to it and no answer is read from it.

    ``offer`` is the newest backup that passes the same checks, if there is one. ``str(exc)`` tells a
    GUI user where to restore it; the CLI calls ``describe`` with the exact command to run.
    """

    GUI_HOW = "请在“文件 → 备份与恢复”中选中它，点“从备份恢复”。"
    GUI_SALVAGE = "在“文件 → 备份与恢复”中点“抢救可读数据…”"

    def __init__(self, database: str, detail: str, offer: BackupOffer | None = None):
        self.database = database
        self.detail = detail
        self.offer = offer
        super().__init__(self.describe(self.GUI_HOW))

    def describe(self, how: str, salvage: str = GUI_SALVAGE) -> str:
        """The whole message; ``how`` restores the offered backup, ``salvage`` saves what is readable."""
        text = (f"数据库“{self.database}”已损坏（{self.detail}）。为防止给出不完整或错误的数据，"
                "程序已停止读写它。")
        if self.offer is None:
            return text + (f"没有找到通过检查的备份。可以{salvage}，把还能读出的数据存成一份新的备份，核对后再恢复；"
                           "如有别处保存的备份文件，也可以用“恢复外部文件”恢复它。请不要删除任何文件。")
        how = how if how.endswith("。") else f"{how}。"  # the CLI's ends in a command: a sentence of its own
        # The backup is older than the damage: what was changed since is not in it, salvage may have it.
        return text + (f"最新的完好备份是 {self.offer.describe()}，此后的修改不在其中。{how}恢复前，损坏的数据库会另存一份。"
                       f"如果那以后改动较多，也可以先{salvage}，核对后再决定用哪一份。")


class DatabaseLocked(QingqingError):
    """Another process kept the database's write lock for longer than we waited."""

    def __init__(self, database: str, holder: str, waited_seconds: int):
        self.database = database
        self.holder = holder
        super().__init__(
            f"数据库“{database}”正被{holder}占用，等待 {waited_seconds} 秒后仍未释放，这次操作没有进行，数据没有改动。"
            "请等它完成（或关闭它）后再试。"
        )


class DiskFull(QingqingError):
    """No room left on the disk that holds ``folder``; nothing was half-written.

    ``files_full``: the disk has bytes left but can hold no more files (no free inodes) — said as such,
    not as a lack of space that the free space shown would contradict.
    """

    def __init__(self, folder: str, free: int | None = None, needed: int | None = None, *, files_full: bool = False):
        self.folder = folder
        self.free = free
        self.needed = needed
        self.files_full = files_full
        if files_full:
            left = f"还剩 {format_size(free)}，但" if free is not None else ""
            super().__init__(
                f"磁盘不能再存放文件：文件夹“{folder}”所在的磁盘{left}能存放的文件个数已经用完。"
                "没有写入任何内容，已有的数据没有改动；请删除不需要的文件后再试。"
            )
            return
        left = f"只剩 {format_size(free)}" if free is not None else "已满（或本用户的磁盘配额已用完）"
        # what it needs only when that is more than is left: the other way round the sentence contradicts itself
        need = f"，这次操作需要约 {format_size(needed)}" if needed and (free is None or free < needed) else ""
        super().__init__(
            f"磁盘空间不足：文件夹“{folder}”所在的磁盘{left}{need}。没有写入任何内容，已有的数据没有改动；"
            "请删除不需要的文件、腾出空间后再试。"
        )


class FileAccessFailed(QingqingError):
    """A file or folder could not be read or written (no permission, in use, a device error)."""

    def __init__(self, path: str, reason: str):
        self.path = path
        super().__init__(f"无法读写“{path}”：{reason}")
