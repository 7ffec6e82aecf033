"""Reading policy templates (政策模板) from TOML files.

Two folders hold templates, one file per template named ``<id>.toml``:

- ``forms/`` shipped with the program (``install_paths.forms_dir()``), and
- ``<data_dir>/forms/`` in the user's data folder, where an office can drop the
  template of a new jurisdiction without a new program build.

A shipped template always wins over a user file with the same id, so a stray
copy cannot silently change the default wording; the user file is reported as
a problem instead. A template may say ``extends = "<id>"`` to take the sections
it does not define from another template (see ``domain.policy.merge_inherited``);
the parent is looked up next to the child first, then in the user folder, then
among the shipped templates.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from qingqing_desktop import install_paths
from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.domain.policy import PolicyTemplate, merge_inherited, template_from_dict
from qingqing_desktop.store import locations
from qingqing_desktop.store.faults import os_reason

log = logging.getLogger(__name__)

DEFAULT_TEMPLATE_ID = "pingyang-2019"
TEMPLATE_SUFFIX = ".toml"

_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
_TOML_END = re.compile(r"\(at end of document\)")


def user_forms_dir() -> Path:
    """``<data_dir>/forms``; not created here, so listing templates never writes to disk."""
    return locations.data_dir() / "forms"


def template_dirs() -> list[Path]:
    """The folders searched, shipped first (it wins on duplicate ids)."""
    return [install_paths.forms_dir(), user_forms_dir()]


def _read_toml(path: Path) -> dict:
    source = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputRejected("找不到模板文件。", Location(file=source)) from None
    except OSError as exc:
        raise InputRejected(f"无法读取模板文件：{os_reason(exc)}", Location(file=source)) from None
    try:
        text = raw.decode("utf-8-sig")  # Notepad on older Windows saves UTF-8 with a BOM
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputRejected(
            "模板文件不是UTF-8编码；请用记事本“另存为”并选择UTF-8编码后再试。", Location(file=source, row=line)
        ) from None
    import tomllib  # noqa: PLC0415 — a campaign's own copy is in the database; files are read when asked

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        detail = str(exc)
        position = _TOML_POSITION.search(detail)
        line = int(position.group(1)) if position else None
        if position:
            where = f"第{position.group(2)}列附近"
        elif _TOML_END.search(detail):
            where = "文件末尾"
            line = max(len(text.splitlines()), 1)
        else:
            where = ""
        reason = _TOML_POSITION.sub("", _TOML_END.sub("", detail)).strip()
        # tomllib's own words stay (in English) after the Chinese explanation:
        # they are precise, and a support person can search for them.
        raise InputRejected(
            f"TOML格式错误{('，' + where) if where else ''}：{reason}。"
            "常见原因：文字没有用英文引号括起来、引号或括号没有配对、同一个键写了两次。",
            Location(file=source, row=line),
        ) from None


def _find_parent(parent_id: str, child_path: Path) -> Path | None:
    # Next to the child first: a user who copies a template pair into one
    # folder (or a test in tmp_path) gets that pair, then the usual folders.
    folders = [child_path.parent, user_forms_dir(), install_paths.forms_dir()]
    for folder in folders:
        candidate = folder / f"{parent_id}{TEMPLATE_SUFFIX}"
        if candidate.is_file():
            return candidate
    return None


def _resolve(path: Path, chain: tuple[str, ...], *, named_by_id: bool = True) -> dict:
    """Parsed data of ``path`` with everything it ``extends`` merged in.

    ``named_by_id``: the file must be called ``<id>.toml`` (true of the template folders,
    where the name is how ``extends`` finds a parent; not of a file handed in for import).
    """
    data = _read_toml(path)
    source = str(path)
    if named_by_id and path.stem != data.get("id", path.stem):
        raise InputRejected(
            f"模板编号 id = \"{data.get('id')}\" 与文件名“{path.name}”不一致：文件名应为“{data.get('id')}{TEMPLATE_SUFFIX}”。",
            Location(file=source, field="id"),
        )
    parent_id = data.get("extends")
    if parent_id is None:
        return data
    if not isinstance(parent_id, str) or not parent_id.strip():
        raise InputRejected("“extends”应是要继承的模板编号（如 \"pingyang-2019\"）。", Location(file=source, field="extends"))
    parent_id = parent_id.strip()
    own_id = data.get("id", path.stem)
    if parent_id == own_id or parent_id in chain:
        loop = " → ".join((*chain, str(own_id), parent_id))
        raise InputRejected(f"模板继承形成循环：{loop}。", Location(file=source, field="extends"))
    parent_path = _find_parent(parent_id, path)
    if parent_path is None:
        known = "、".join(_known_ids()) or "（无）"
        raise InputRejected(
            f"“extends”指定的模板“{parent_id}”不存在。可用的模板编号：{known}。", Location(file=source, field="extends")
        )
    parent = _resolve(parent_path, (*chain, str(own_id)))
    return merge_inherited(parent, data)


def load_template(path: str | Path, *, named_by_id: bool = True) -> PolicyTemplate:
    """Read, resolve ``extends`` and validate one template file (see ``_resolve`` for ``named_by_id``)."""
    path = Path(path)
    data = _resolve(path, (), named_by_id=named_by_id)
    return template_from_dict(data, str(path))


def shipped_template_ids() -> set[str]:
    """The ids of the templates that come with the program (``forms/``)."""
    folder = install_paths.forms_dir()
    return {p.stem for p in folder.iterdir() if p.suffix.lower() == TEMPLATE_SUFFIX} if folder.is_dir() else set()


@dataclass(frozen=True)
class TemplateScan:
    """All templates found, and the files that could not be used (for the UI to show)."""

    templates: tuple[PolicyTemplate, ...]
    problems: tuple[InputRejected, ...]


def _candidate_files() -> list[Path]:
    files: list[Path] = []
    for folder in template_dirs():
        if folder.is_dir():
            files.extend(sorted(p for p in folder.iterdir() if p.suffix.lower() == TEMPLATE_SUFFIX and p.is_file()))
    return files


def _known_ids() -> list[str]:
    return sorted({p.stem for p in _candidate_files()})


def scan_templates() -> TemplateScan:
    """Load every template file; a broken file becomes a problem, not a failure of the whole list."""
    templates: dict[str, PolicyTemplate] = {}
    problems: list[InputRejected] = []
    for path in _candidate_files():
        if path.stem in templates:
            first = templates[path.stem].source
            problems.append(
                InputRejected(
                    f"模板编号“{path.stem}”与“{first}”重复，本文件未使用；如要使用，请改用新的文件名和 id。",
                    Location(file=str(path), field="id"),
                )
            )
            continue
        try:
            templates[path.stem] = load_template(path)
        except InputRejected as exc:
            log.warning("policy template not usable: %s", exc)
            problems.append(exc)
    return TemplateScan(tuple(templates.values()), tuple(problems))


def available_templates() -> list[PolicyTemplate]:
    """Usable templates, the default first, then by id. Broken files are left out (see ``scan_templates``)."""
    templates = list(scan_templates().templates)
    templates.sort(key=lambda t: (t.id != DEFAULT_TEMPLATE_ID, t.id))
    return templates


def get_template(template_id: str) -> PolicyTemplate:
    """The template with this id; InputRejected (listing the ids there are) when unknown or broken."""
    scan = scan_templates()
    for template in scan.templates:
        if template.id == template_id:
            return template
    for problem in scan.problems:
        # A broken file is a better answer than "unknown id": it says what to fix.
        if problem.location.file and Path(problem.location.file).stem == template_id:
            raise problem
    known = "、".join(sorted(t.id for t in scan.templates)) or "（无）"
    raise InputRejected(f"没有编号为“{template_id}”的政策模板。可用的模板编号：{known}。", Location(field="模板编号"))
