"""Policy templates (政策模板): the shipped ones, the ones the office writes, and the one in force.

Two kinds of template live side by side:

* shipped — ``forms/*.toml`` (and a user's ``<data>/forms``), read-only here;
* office-made — written in the template editor (or imported from a file another
  office exported), stored in the database with versions (``store.office_templates``).

An office-made template is edited in place until it is *published*: a campaign is
created from it (``publish``, called by ``campaign_service.create_campaign``) or it is
written to a file. A published version never changes again; saving an edit then
makes the next version. A campaign keeps a copy of the version it was created with,
so its 任务包, its letters and every unit's filing stay as they were issued.

Ids of office-made templates never repeat a shipped id, nor one used here before.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from dataclasses import dataclass, replace
from pathlib import Path

from qingqing_desktop.domain.campaign import template_snapshot
from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.domain.policy import PolicyTemplate, template_from_dict
from qingqing_desktop.domain.text import quoted
from qingqing_desktop.domain.template_draft import (
    TemplateProblem,
    draft_from,
    new_template_id,
    template_problems,
    template_year,
)
from qingqing_desktop.services.session import Session
from qingqing_desktop.store import campaigns, office_templates
from qingqing_desktop.store import policy_templates as shipped
from qingqing_desktop.store.policy_templates import DEFAULT_TEMPLATE_ID

ACTIVE_TEMPLATE_KEY = "active_template_id"
ORIGIN_SHIPPED = "程序自带"
ORIGIN_OFFICE = "本室制定"
ORIGIN_IMPORTED = "导入"
IMPORTED_FROM = "导入文件 "  # how an imported template's ``based_on`` begins

__all__ = [
    "TemplateInfo", "SavedTemplate", "TemplateImport", "ImportOutcome", "DraftRejected",
    "active_template", "available_templates", "set_active_template", "list_templates", "template_info",
    "get_template", "new_draft", "save_template", "publish", "export_template", "import_template",
    "delete_template", "template_versions", "preview_template", "based_on_label", "draft_of",
]


# ----------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class TemplateInfo:
    """A template as the office's list shows it: the newest version, where it comes from, how it is used."""

    template: PolicyTemplate
    origin: str  # ORIGIN_SHIPPED, ORIGIN_OFFICE or ORIGIN_IMPORTED
    published: bool  # shipped ones always; an office-made version once used or exported
    published_as: str
    based_on: str
    campaigns: int  # campaigns here made from any version of it
    updated_at: str = ""

    @property
    def editable(self) -> bool:
        return self.origin != ORIGIN_SHIPPED


def _campaign_counts(session: Session) -> dict[str, int]:
    rows = session.store.query(
        "SELECT template_id, COUNT(*) AS n FROM campaign WHERE deleted_at IS NULL GROUP BY template_id")
    return {row["template_id"]: row["n"] for row in rows}


def list_templates(session: Session) -> list[TemplateInfo]:
    """Shipped templates (the default first), then the office's own in the order they were made."""
    counts = _campaign_counts(session)
    result = [TemplateInfo(t, ORIGIN_SHIPPED, True, "", "", counts.get(t.id, 0))
              for t in shipped.available_templates()]
    result += [TemplateInfo(s.template, ORIGIN_IMPORTED if s.based_on.startswith(IMPORTED_FROM) else ORIGIN_OFFICE,
                            s.published, s.published_as, s.based_on, counts.get(s.template.id, 0), s.updated_at)
               for s in office_templates.list_latest(session.store)]
    return result


def template_info(session: Session, template_id: str) -> TemplateInfo:
    for info in list_templates(session):
        if info.template.id == template_id:
            return info
    raise _unknown(session, template_id)


def _unknown(session: Session, template_id: str) -> InputRejected:
    known = "、".join(info.template.id for info in list_templates(session)) or "（无）"
    return InputRejected(f"没有编号为“{template_id}”的政策模板。可用的模板编号：{known}。", Location(field="模板编号"))


def get_template(session: Session, template_id: str, version: int | None = None) -> PolicyTemplate:
    """A template by id (office-made: the newest version, or ``version``); refuses an unknown id or version."""
    stored = (office_templates.latest(session.store, template_id) if version is None
              else office_templates.get_version(session.store, template_id, version))
    if stored is not None:
        return stored.template
    if office_templates.latest(session.store, template_id) is not None:
        raise InputRejected(f"政策模板“{template_id}”没有第{version}版。", Location(field="模板版本"))
    if template_id not in shipped.shipped_template_ids() and not _user_file_exists(template_id):
        raise _unknown(session, template_id)
    template = shipped.get_template(template_id)
    if version is not None and version != template.version:
        raise InputRejected(f"政策模板“{template_id}”只有第{template.version}版。", Location(field="模板版本"))
    return template


def _user_file_exists(template_id: str) -> bool:
    return (shipped.user_forms_dir() / f"{template_id}{shipped.TEMPLATE_SUFFIX}").is_file()


def template_versions(session: Session, template_id: str) -> list[office_templates.StoredTemplate]:
    """Every stored version of an office-made template, the newest first ([] for a shipped one)."""
    return office_templates.versions(session.store, template_id)


def available_templates(session: Session) -> list[PolicyTemplate]:
    """What a new campaign can be created from: shipped, then office-made (newest versions)."""
    return [info.template for info in list_templates(session)]


def active_template(session: Session) -> PolicyTemplate:
    """The current campaign's own copy of its template; before any campaign, the chosen or default one."""
    campaign = campaigns.current(session.store)
    if campaign is not None:
        return campaign.template
    chosen = session.store.meta_get(ACTIVE_TEMPLATE_KEY) or DEFAULT_TEMPLATE_ID
    try:
        return get_template(session, chosen)
    except InputRejected:
        if chosen == DEFAULT_TEMPLATE_ID:
            raise
        return get_template(session, DEFAULT_TEMPLATE_ID)  # the chosen one was deleted since


def set_active_template(session: Session, template_id: str) -> None:
    get_template(session, template_id)  # refuses an unknown id with the list of known ones
    with session.store.transaction():
        session.store.meta_set(ACTIVE_TEMPLATE_KEY, template_id)


# ----------------------------------------------------------------------------- writing


class DraftRejected(InputRejected):
    """A draft that cannot be saved; ``problems`` has every one, for the editor to show in place."""

    def __init__(self, problems: list[TemplateProblem]):
        self.problems = problems
        more = f"（另有{len(problems) - 1}处问题）" if len(problems) > 1 else ""
        super().__init__(f"{problems[0].message}{more}")


@dataclass(frozen=True)
class SavedTemplate:
    template: PolicyTemplate
    created: bool  # a new template
    new_version: bool  # the previous version was published, so this is version n+1
    changed: bool  # False: nothing differed from what was stored


def new_draft(session: Session, source_id: str, version: int | None = None) -> dict:
    """A draft for a new template, starting from any template's text; its id is given on saving."""
    source = get_template(session, source_id, version)
    draft = draft_from(source)
    draft["id"] = ""
    draft["version"] = 1
    # The source's own date and 文号 are never this action's (its 文号's year went into the new id), nor its
    # 报送要求 (“于3月14日前报送…联系人：林素仙…”: another notice's date and contact, easily sent on unnoticed).
    draft["submission"]["default_deadline"] = ""
    draft["submission"]["deadline_wording"] = ""
    draft["document_number"] = ""
    # A name of its own until the local notice's is typed in: saved as it is, two templates of one name
    # could not be told apart (_refuse_a_taken_name).
    taken = {info.template.name for info in list_templates(session)}
    draft["name"] = next(name for n in itertools.count(1)
                         if (name := f"{source.name}（副本{n if n > 1 else ''}）") not in taken)
    return draft


def draft_of(session: Session, template_id: str) -> dict:
    """A draft to edit an office-made template (its newest version)."""
    stored = office_templates.latest(session.store, template_id)
    if stored is None:
        raise InputRejected(f"“{template_id}”不是本室制定的模板，不能修改；可以以它为底稿新建一个模板。",
                            Location(field="模板编号"))
    return draft_from(stored.template)


def _taken_ids(session: Session) -> set[str]:
    return shipped.shipped_template_ids() | office_templates.all_ids(session.store) | {
        t.id for t in shipped.available_templates()}


def _validated(draft: dict, template_id: str, version: int) -> PolicyTemplate:
    problems = template_problems(draft)
    if problems:
        raise DraftRejected(problems)
    data = {**draft, "id": template_id, "version": version}
    return template_from_dict(data, office_templates.source_label(str(draft.get("name", "")), version))


def preview_template(draft: dict) -> PolicyTemplate:
    """The draft as a template, to print a preview from; ``DraftRejected`` while it is incomplete."""
    return _validated(draft, str(draft.get("id") or "preview"), int(draft.get("version") or 1))


def based_on_label(template: PolicyTemplate) -> str:
    """How a new template records what it was started from, as a reviewer reads it: its name and version
    (“平阳县住房和城乡建设局“三清单一承诺”行动（2019） 第1版”; the id in pinyin initials says nothing)."""
    return f"{template.name} 第{template.version}版"


def check_draft(draft: dict) -> list[TemplateProblem]:
    """Every problem of a draft, in words (none: it can be saved)."""
    return template_problems(draft)


def save_template(session: Session, draft: dict, *, based_on: str = "", reason: str = "",
                  today: dt.date | None = None) -> SavedTemplate:
    """Save an editor's draft: a new template (``draft["id"]`` empty), or the next state of an office-made one.

    Raises ``DraftRejected`` with every problem when the draft is not complete.
    """
    store = session.store
    template_id = str(draft.get("id") or "")
    _refuse_a_taken_name(session, str(draft.get("name") or "").strip(), template_id)
    if not template_id:
        year = template_year(str(draft.get("document_number", "")), today or dt.date.today())
        template_id = new_template_id(str(draft.get("issuer", "")), year, _taken_ids(session))
        template = _validated(draft, template_id, 1)
        with store.transaction():
            office_templates.insert_template(store, template, based_on=based_on, operator=session.operator,
                                             reason=reason)
        return SavedTemplate(template, created=True, new_version=False, changed=True)
    latest = office_templates.latest(store, template_id)
    if latest is None:
        raise InputRejected(f"“{template_id}”不是本室制定的模板（或已删除），不能保存修改。", Location(field="模板编号"))
    if latest.published:
        template = _validated(draft, template_id, latest.template.version + 1)
        if template_snapshot(replace(template, version=latest.template.version)) == template_snapshot(latest.template):
            return SavedTemplate(latest.template, created=False, new_version=False, changed=False)
        with store.transaction():
            office_templates.add_version(store, template, latest.template, operator=session.operator, reason=reason)
        return SavedTemplate(template, created=False, new_version=True, changed=True)
    template = _validated(draft, template_id, latest.template.version)
    with store.transaction():
        changes = office_templates.update_draft(store, template, latest.template, operator=session.operator,
                                                reason=reason)
    return SavedTemplate(template, created=False, new_version=False, changed=bool(changes))


def _refuse_a_taken_name(session: Session, name: str, template_id: str) -> None:
    """Two templates of one name cannot be told apart in the list, the new-campaign dialog or a 任务包:
    a new template started from another and saved under its name is the usual way to get there."""
    if any(info.template.name == name and info.template.id != template_id for info in list_templates(session)):
        raise InputRejected(f"已有名为{quoted(name)}的模板。请改用本地通知的名称（在“基本信息”中修改模板名称）。",
                            Location(field="模板名称"))


def publish(session: Session, template: PolicyTemplate, published_as: str) -> bool:
    """Freeze an office-made template's version (a campaign was made from it, or it went out as a file).

    Call inside the caller's transaction; nothing happens for a shipped template or a
    version published before. Returns whether this call published it.
    """
    if office_templates.get_version(session.store, template.id, template.version) is None:
        return False
    return office_templates.mark_published(session.store, template.id, template.version, published_as,
                                           operator=session.operator)


def delete_template(session: Session, template_id: str, *, reason: str = "") -> PolicyTemplate:
    """Delete an office-made template (softly: campaigns made from it keep their copy)."""
    stored = office_templates.latest(session.store, template_id)
    if stored is None:
        raise InputRejected(f"“{template_id}”不是本室制定的模板，不能删除。", Location(field="模板编号"))
    with session.store.transaction():
        office_templates.delete(session.store, template_id, operator=session.operator, reason=reason)
        if session.store.meta_get(ACTIVE_TEMPLATE_KEY) == template_id:
            session.store.meta_set(ACTIVE_TEMPLATE_KEY, DEFAULT_TEMPLATE_ID)
    return stored.template


# ----------------------------------------------------------------------------- files


def suggested_file_name(session: Session, template_id: str) -> str:
    from qingqing_desktop.exchange import template_file  # noqa: PLC0415 — files only; the first window reads the database

    return template_file.template_file_name(get_template(session, template_id))


def export_template(session: Session, template_id: str, target: Path, *, version: int | None = None) -> Path:
    """Write the template as a TOML file (``target`` may be a folder); an office-made version is published by it."""
    from qingqing_desktop.exchange import template_file  # noqa: PLC0415 — files only; the first window reads the database

    template = get_template(session, template_id, version)
    target = Path(target)
    if target.is_dir():
        target = target / template_file.template_file_name(template)
    with session.store.transaction():
        publish(session, template, f"导出文件 {target.name}")
        # Written inside the transaction: a file that could not be written publishes nothing.
        return template_file.write_template_file(target, template)


class ImportOutcome(str, enum.Enum):
    NEW = "新模板"
    NEW_VERSION = "新版本"
    UNCHANGED = "已有相同内容"


@dataclass(frozen=True)
class TemplateImport:
    template: PolicyTemplate
    outcome: ImportOutcome

    @property
    def message(self) -> str:
        t = self.template
        if self.outcome is ImportOutcome.NEW:
            return f"已导入政策模板“{t.name}”（编号 {t.id}，第{t.version}版）。"
        if self.outcome is ImportOutcome.NEW_VERSION:
            return f"已导入政策模板“{t.name}”的第{t.version}版（编号 {t.id}）。"
        return f"政策模板“{t.name}”（编号 {t.id}，第{t.version}版）本机已有，内容相同，没有改动。"


def import_template(session: Session, path: Path) -> TemplateImport:
    """Import a template file (TOML, as exported or as in forms/): checked completely, then stored in one step.

    A new id becomes a new template; a higher version of one already here becomes its next
    version; the same content again changes nothing. Refused, with the reason and nothing
    written: a damaged or incomplete file, the id of a shipped template with other content,
    or a version here already with other content. Imported versions count as published.
    """
    from qingqing_desktop.exchange import template_file  # noqa: PLC0415

    path = Path(path)
    template = template_file.read_template_file(path)
    problems = template_problems(template_snapshot(template))
    if problems:
        raise InputRejected(problems[0].message, Location(file=path.name))
    store = session.store
    if template.id in shipped.shipped_template_ids():
        if template_snapshot(template) == template_snapshot(shipped.get_template(template.id)):
            return TemplateImport(shipped.get_template(template.id), ImportOutcome.UNCHANGED)
        raise InputRejected(
            f"模板编号“{template.id}”是程序自带模板的编号，而内容不同。请在文件中把 id 改为新的编号"
            f"（如 \"{template.id}-2\"）后再导入。", Location(file=path.name, field="id"))
    published_as = f"{IMPORTED_FROM}{path.name}"
    with store.transaction():  # a refusal below rolls back the restore too
        if office_templates.latest(store, template.id) is None and template.id in office_templates.all_ids(store):
            office_templates.restore(store, template.id, operator=session.operator, reason=published_as)
        same = office_templates.get_version(store, template.id, template.version)
        if same is not None:
            if template_snapshot(same.template) == template_snapshot(template):
                return TemplateImport(same.template, ImportOutcome.UNCHANGED)
            raise InputRejected(
                f"本机已有模板“{template.id}”的第{template.version}版，内容与文件中的不同。请与制定模板的单位核实；"
                "如要两个都保留，请在文件中把 id 改为新的编号后再导入。", Location(file=path.name, field="version"))
        latest = office_templates.latest(store, template.id)
        if latest is None:
            office_templates.insert_template(store, template, based_on=published_as, operator=session.operator,
                                             reason=published_as)
            outcome = ImportOutcome.NEW
        elif template.version > latest.template.version:
            office_templates.add_version(store, template, latest.template, operator=session.operator,
                                         reason=published_as)
            outcome = ImportOutcome.NEW_VERSION
        else:
            raise InputRejected(
                f"本机的模板“{template.id}”已到第{latest.template.version}版，文件中的是较旧的第{template.version}版"
                "（且内容不同），没有导入。", Location(file=path.name, field="version"))
        office_templates.mark_published(store, template.id, template.version, published_as,
                                        operator=session.operator)
    return TemplateImport(office_templates.get_version(store, template.id, template.version).template, outcome)
