"""Reading the small files the office signs (任务包, 退回文件): one JSON member in a signed container."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.exchange.filing_package import Invalid, parse_json
from qingqing_desktop.exchange.signed_container import Container, file_words, read_container

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OfficeSigned:
    container: Container
    content: object  # the member's JSON, not yet checked
    display_name: str
    where: Location


def read_office_signed(
    source: Path | bytes,
    *,
    kind: str,
    label: str,
    member: str,
    words: str,
    header: Callable[[object, str], object],
    header_keys: Sequence[str],
    resend: str,
    display_name: str | None,
    pinned_fingerprint: str | None,
) -> OfficeSigned:
    """Verify the container (signature, pinned key), its header's format and its single ``member``; parse that member.

    ``label`` names the file in messages (and stands for it when read from bytes), ``words`` its member
    (任务内容 for campaign.json): the reviewer reads what is wrong, the log keeps the member's file name.
    """
    if display_name is None:
        display_name = label if isinstance(source, bytes | bytearray) else Path(source).name
    where = Location(file=display_name)
    container = read_container(source, expected_kind=kind, display_name=display_name,
                               pinned_fingerprint=pinned_fingerprint,
                               member_words=lambda name: words if name == member else file_words(name))
    manifest = container.manifest
    try:
        header({k: manifest[k] for k in header_keys if k in manifest}, "")
    except Invalid as problem:
        raise InputRejected(f"{label}的签名信息不符合格式：“{problem.where}”{problem.what}。{resend}", where) from None
    if container.member_names != (member,):
        log.warning("%s refused: members %r, not just %r", display_name, container.member_names, member)
        raise InputRejected(f"{label}中应当只有{words}，不应有别的文件。{resend}", where)
    content = parse_json(container.member(member), f"{label}中的{words}", display_name, resend)
    return OfficeSigned(container, content, display_name, where)
