"""Printing the filing: 附件1 letters, 附件2 汇总表 and 附件3 自查表 as PDF and Excel files.

``filing_document_data`` gathers what the forms print — from the pledge list and
the 自查表 as the filing services give them, i.e. from the filed snapshot once the
filing is 定稿, so the paper matches what was filed — and the renderers in
``documents/`` turn it into files. Every file is rendered in memory first and then
written through a temporary name and one rename: an error or 取消 never leaves a
half-written file, and ``export_all`` writes nothing unless every document rendered.

``progress(percent, text)`` and ``cancelled()`` are optional hooks for the GUI's
progress dialog; a cancelled export raises ``ExportCancelled``. ``FontsMissing``
from the font layer is passed on for the caller to show. ``font_notes`` says, after
rendering, which faces stood in for the 公文 faces (仿宋, 小标宋) on this computer,
for the CLI and the 导出与打印 page to tell once.
"""

from __future__ import annotations

import datetime as dt
import enum
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from qingqing_desktop.documents.filing_data import (
    FilingDocumentData,
    FindingEntry,
    PledgeEntry,
    SelfCheckSection,
)
from qingqing_desktop.domain.errors import InputRejected, Location, QingqingError
from qingqing_desktop.domain.policy import PolicyTemplate
from qingqing_desktop.domain.text import file_name_part
from qingqing_desktop.services import (
    filing_service,
    key_service,
    pledge_service,
    roster_service,
    seal_service,
    selfcheck_service,
)
from qingqing_desktop.services.campaign_service import campaign_and_unit
from qingqing_desktop.services.session import Session
from qingqing_desktop.store.atomic_file import remove_leftovers, write_bytes_atomic, write_file_set

__all__ = [
    "DocumentKind",
    "ExportCancelled",
    "RenderedDocument",
    "filing_document_data",
    "document_file_name",
    "output_format",
    "render_document",
    "render_all",
    "prepare_fonts",
    "export_document",
    "export_all",
    "font_notes",
    "template_preview_data",
    "render_template_preview",
]

Progress = Callable[[int, str], None]
Cancelled = Callable[[], bool]


class DocumentKind(str, enum.Enum):
    PLEDGES = "pledges"  # 附件1, one letter per person to sign
    BLANK_PLEDGE = "blank-pledge"  # 附件1, blank, for hand-filling
    SUMMARY = "summary"  # 附件2
    SELFCHECK = "selfcheck"  # 附件3


DOCUMENT_LABELS = {
    DocumentKind.PLEDGES: "承诺书",
    DocumentKind.BLANK_PLEDGE: "空白承诺书",
    DocumentKind.SUMMARY: "承诺书签订情况汇总表",
    DocumentKind.SELFCHECK: "自查表",
}
FORMATS = {
    DocumentKind.PLEDGES: ("pdf",),
    DocumentKind.BLANK_PLEDGE: ("pdf",),
    DocumentKind.SUMMARY: ("pdf", "xlsx"),
    DocumentKind.SELFCHECK: ("pdf", "xlsx"),
}
# What ``export_all`` writes, in this order.
ALL_DOCUMENTS = (
    (DocumentKind.PLEDGES, "pdf"),
    (DocumentKind.BLANK_PLEDGE, "pdf"),
    (DocumentKind.SUMMARY, "pdf"),
    (DocumentKind.SUMMARY, "xlsx"),
    (DocumentKind.SELFCHECK, "pdf"),
    (DocumentKind.SELFCHECK, "xlsx"),
)


class ExportCancelled(QingqingError):
    """The user pressed 取消; nothing was written."""

    def __init__(self):
        super().__init__("已取消导出，没有写入任何文件。")


def parse_kind(value: DocumentKind | str) -> DocumentKind:
    try:
        return DocumentKind(value)
    except ValueError:
        choices = "、".join(k.value for k in DocumentKind)
        raise InputRejected(f"没有“{value}”这种文件，可选：{choices}。", Location(field="文件")) from None


# --------------------------------------------------------------------------- data


def filing_document_data(session: Session, *, campaign_id: str | None = None, with_key: bool = True,
                         today: dt.date | None = None) -> FilingDocumentData:
    """What the three attachments print for the unit's filing in a campaign (default: the current one).

    Once the filing is 定稿 everything comes from its filed snapshot: the pledge list, the
    自查表, the unit's name and leader, the job titles, the campaign's title, and the hash
    recorded at 定稿. ``with_key``: look up the unit key's fingerprint (only 附件2 prints it).
    ``today`` only sets the findings' rectification state (not printed).
    """
    campaign, unit = campaign_and_unit(session, campaign_id)
    status = filing_service.filing_status(session, campaign_id=campaign.id)
    rows = pledge_service.list_pledges(session, campaign_id=campaign.id)
    self_check = selfcheck_service.get_self_check(session, campaign_id=campaign.id)
    title, document_number, deadline = campaign.title, campaign.document_number, campaign.deadline
    content_sha256 = ""
    if status.locked:
        filed = filing_service.filed_snapshot(session, campaign_id=campaign.id)
        snapshot = filed.data
        job_titles = {member["id"]: member["title"] for member in snapshot["roster"]}
        filed_campaign = snapshot["campaign"]
        title, document_number = filed_campaign["title"], filed_campaign["document_number"]
        deadline = dt.date.fromisoformat(filed_campaign["deadline"])
        content_sha256 = filed.content_sha256
    else:
        job_titles = {member.id: member.title for member in roster_service.list_staff(session)}
    today = today or dt.date.today()
    pledges = tuple(
        PledgeEntry(staff_id=row.staff_id, name=row.name, rank=row.rank, post=row.post, party_member=row.party_member,
                    status=row.status, required=row.required, title=job_titles.get(row.staff_id, ""))
        for row in rows
    )
    sections = tuple(
        SelfCheckSection(row.item, row.none_confirmed, tuple(
            FindingEntry(f.problem, f.measure, f.owner_name, f.due, f.state(today).value) for f in row.findings
        ))
        for row in self_check.rows
    )
    return FilingDocumentData(
        template=campaign.template, unit_id=unit.id, campaign_id=campaign.id, unit_name=self_check.unit_name, leader=self_check.leader,
        campaign_title=title, document_number=document_number, deadline=deadline,
        revision=status.revision, finalised=status.locked, pledges=pledges, self_check=sections,
        filled_on=self_check.filled_on, content_sha256=content_sha256,
        seal_image=seal_service.seal_image(session),
        # The stamped 汇总表 vouches for the key that signs the 报送包 (created on first use).
        key_fingerprint=key_service.unit_fingerprint(session) if with_key else "",
    )


# --------------------------------------------------------------------------- file names


def document_file_name(data: FilingDocumentData, kind: DocumentKind | str, fmt: str) -> str:
    """E.g. 附件2_反对挈篮子承诺书签订情况汇总表_技术科_2019.xlsx (the campaign deadline's year)."""
    kind = parse_kind(kind)
    template = data.template
    label, title = {
        DocumentKind.PLEDGES: (template.pledge_attachment_label, template.pledge.title),
        DocumentKind.BLANK_PLEDGE: (template.pledge_attachment_label, template.pledge.title + "_空白"),
        DocumentKind.SUMMARY: (template.summary_table.attachment_label, template.summary_table.title),
        DocumentKind.SELFCHECK: (template.self_check.attachment_label, template.self_check.title),
    }[kind]
    parts = [label, title, data.unit_name, str(data.deadline.year)]
    return "_".join(map(file_name_part, parts)) + f".{fmt}"


def output_format(kind: DocumentKind | str, path: Path | str) -> str:
    """"pdf" or "xlsx" from the file's extension; refused when the document has no such form."""
    kind = parse_kind(kind)
    suffix = Path(path).suffix.lower().lstrip(".")
    allowed = FORMATS[kind]
    if suffix not in allowed:
        wanted = " 或 ".join(f".{f}" for f in allowed)
        shown = f"“.{suffix}”" if suffix else "没有扩展名"
        raise InputRejected(f"{DOCUMENT_LABELS[kind]}只能导出为 {wanted} 文件，“{Path(path).name}”{shown}。",
                            Location(file=str(path)))
    return suffix


# --------------------------------------------------------------------------- rendering


@dataclass(frozen=True)
class RenderedDocument:
    kind: DocumentKind
    fmt: str
    file_name: str
    content: bytes


def render_document(data: FilingDocumentData, kind: DocumentKind | str, fmt: str, *, duplex: bool = True,
                    outstanding_only: bool = False) -> bytes:
    """The bytes of one document (``fmt`` "pdf" or "xlsx", as ``FORMATS`` allows)."""
    kind = parse_kind(kind)
    if fmt not in FORMATS[kind]:
        raise InputRejected(f"{DOCUMENT_LABELS[kind]}没有 .{fmt} 格式。", Location(field="格式"))
    # The renderers (reportlab, openpyxl) load with the first document, not with this module.
    from qingqing_desktop.documents.pledge_pdf import write_blank_pledge, write_pledge_letters  # noqa: PLC0415
    from qingqing_desktop.documents.selfcheck_pdf import write_selfcheck_pdf  # noqa: PLC0415
    from qingqing_desktop.documents.selfcheck_xlsx import write_selfcheck_xlsx  # noqa: PLC0415
    from qingqing_desktop.documents.summary_pdf import write_summary_pdf  # noqa: PLC0415
    from qingqing_desktop.documents.summary_xlsx import write_summary_xlsx  # noqa: PLC0415

    out = io.BytesIO()
    if kind is DocumentKind.PLEDGES:
        write_pledge_letters(out, data, duplex=duplex, outstanding_only=outstanding_only)
    elif kind is DocumentKind.BLANK_PLEDGE:
        write_blank_pledge(out, data)
    elif kind is DocumentKind.SUMMARY:
        (write_summary_pdf if fmt == "pdf" else write_summary_xlsx)(out, data)
    else:
        (write_selfcheck_pdf if fmt == "pdf" else write_selfcheck_xlsx)(out, data)
    return out.getvalue()


def _step(progress: Progress | None, cancelled: Cancelled | None, percent: int, text: str) -> None:
    if cancelled is not None and cancelled():
        raise ExportCancelled()
    if progress is not None:
        progress(percent, text)


def render_all(data: FilingDocumentData, *, duplex: bool = True, progress: Progress | None = None,
               cancelled: Cancelled | None = None,
               documents: tuple[tuple[DocumentKind, str], ...] = ALL_DOCUMENTS) -> list[RenderedDocument]:
    """Every document of the filing (or those of ``documents``), in memory (for ``export_all``,
    the 报送包 and a template's preview)."""
    if any(fmt == "pdf" for _, fmt in documents):
        prepare_fonts(progress, cancelled)
    rendered = []
    for index, (kind, fmt) in enumerate(documents):
        name = document_file_name(data, kind, fmt)
        _step(progress, cancelled, 5 + 90 * index // len(documents), f"正在生成 {name}…")
        rendered.append(RenderedDocument(kind, fmt, name, render_document(data, kind, fmt, duplex=duplex)))
    return rendered


# --------------------------------------------------------------------------- fonts

# The faces the attachments are set in: 仿宋 body and tables, 小标宋 titles, 黑体 “附件n：”
# and table headers, 宋体 page numbers and footer.
DOCUMENT_FONT_ROLES = ("fangsong", "title", "hei", "song")


def font_notes(*, brief: bool = False) -> list[str]:
    """One Chinese note per face that stands in for the proper one in the documents (naming the
    face used and, unless ``brief``, how to install the right one); empty when every face is
    the proper one. Cheap after a document was rendered (the fonts are chosen then)."""
    from qingqing_desktop.documents.fonts import substitution_notes

    return substitution_notes(DOCUMENT_FONT_ROLES, brief=brief)


def prepare_fonts(progress: Progress | None = None, cancelled: Cancelled | None = None) -> None:
    """Before the first PDF: make the TrueType copies of the documents' CFF fonts, saying so.

    Only a machine whose set-up did not make them (a fresh Linux user, see
    ``documents.font_conversion``) has any to make, 10–60 seconds each, once: without a word
    the progress box would sit on “正在生成…” for a minute, as if the program had hung."""
    from qingqing_desktop.documents.fonts import fonts_to_prepare, prepare_font  # noqa: PLC0415

    pending = fonts_to_prepare(DOCUMENT_FONT_ROLES)
    for number, face in enumerate(pending, start=1):
        counter = f"（第{number}个，共{len(pending)}个）" if len(pending) > 1 else ""
        _step(progress, cancelled, 0, f"正在准备打印字体“{face.display_name}”{counter}…\n"
                                      "第一次生成 PDF 时才需要，每个字体约需半分钟到两分钟，以后不再需要。")
        prepare_font(face)


# --------------------------------------------------------------------------- exporting


def export_document(session: Session, kind: DocumentKind | str, out_path: Path | str,
                    progress: Progress | None = None, cancelled: Cancelled | None = None, *,
                    campaign_id: str | None = None, duplex: bool = True, outstanding_only: bool = False) -> Path:
    """Write one document to ``out_path``; PDF or Excel by its extension (.pdf / .xlsx).

    ``duplex``: 附件1 letters each start on a new sheet (an empty back page after a
    one-page letter). ``outstanding_only``: 附件1 only for those who still have to sign.
    """
    kind = parse_kind(kind)
    out_path = Path(out_path)
    fmt = output_format(kind, out_path)
    _step(progress, cancelled, 0, "正在读取填报数据…")
    data = filing_document_data(session, campaign_id=campaign_id, with_key=kind is DocumentKind.SUMMARY)
    if fmt == "pdf":
        prepare_fonts(progress, cancelled)
    _step(progress, cancelled, 20, f"正在生成 {out_path.name}…")
    content = render_document(data, kind, fmt, duplex=duplex, outstanding_only=outstanding_only)
    _step(progress, cancelled, 90, f"正在保存 {out_path.name}…")
    write_bytes_atomic(out_path, content)
    if progress is not None:
        progress(100, f"已导出 {out_path.name}")
    return out_path


def export_all(session: Session, out_dir: Path | str, progress: Progress | None = None,
               cancelled: Cancelled | None = None, *, campaign_id: str | None = None,
               duplex: bool = True) -> list[Path]:
    """Write every document of the filing into ``out_dir`` (created if needed) under
    ``document_file_name``; returns the paths written, in ``ALL_DOCUMENTS`` order.

    The documents are written as one set (``write_file_set``): a kill leaves the previous set or
    this one, never a mix, and what an earlier kill left behind is cleaned up first.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputRejected("这不是一个文件夹。", Location(file=str(out_dir)))
    _step(progress, cancelled, 0, "正在读取填报数据…")
    data = filing_document_data(session, campaign_id=campaign_id)
    documents = render_all(data, duplex=duplex, progress=progress, cancelled=cancelled)
    _step(progress, cancelled, 95, "正在保存文件…")
    if out_dir.is_dir():
        for document in documents:  # a single export killed half-way (atomic_write's temporary file)
            remove_leftovers(out_dir / document.file_name)
    paths = write_file_set(out_dir, {document.file_name: document.content for document in documents})
    if progress is not None:
        progress(100, f"已导出 {len(paths)} 个文件")
    return paths


# --------------------------------------------------------------------------- a template's preview

PREVIEW_DOCUMENTS = ((DocumentKind.PLEDGES, "pdf"), (DocumentKind.SUMMARY, "pdf"), (DocumentKind.SELFCHECK, "pdf"))
PREVIEW_UNIT = "示例单位"
PREVIEW_IDS = 1000  # the paper codes of a preview name made-up UUIDs, never a real unit, campaign or person


def template_preview_data(template: PolicyTemplate, *, today: dt.date | None = None) -> FilingDocumentData:
    """Made-up filing data that shows what a template prints: a few people in its key posts,
    one problem in the 自查表, the template's own texts everywhere; a draft (草稿 watermark)."""
    from qingqing_desktop.domain.pledge import PledgeStatus
    from qingqing_desktop.domain.staff import RankCategory

    today = today or dt.date.today()
    posts = list(template.signing_rule.key_posts) or ["综合管理"]
    people = [
        ("张三", RankCategory.MIDDLE_CADRE, "科长", f"分管{posts[0]}"),
        ("李四", RankCategory.STAFF, "科员", posts[0]),
        ("王五", RankCategory.STAFF, "科员", posts[1 % len(posts)]),
    ]
    pledges = tuple(
        PledgeEntry(staff_id=str(uuid.UUID(int=PREVIEW_IDS + number)), name=name, rank=rank, post=post, party_member=number % 2 == 0,
                    status=PledgeStatus.SIGNED, required=True, title=title)
        for number, (name, rank, title, post) in enumerate(people)
    )
    due = today + dt.timedelta(days=30)
    rows = template.self_check.rows
    sections = (
        SelfCheckSection(rows[0], False, (FindingEntry("（示例）对企业咨询答复不够及时", "（示例）建立首问负责制，限时答复",
                                                       "张三", due),)),
        SelfCheckSection(rows[1], True),
        SelfCheckSection(rows[2], True),
    )
    deadline = dt.date.fromisoformat(template.default_deadline) if template.default_deadline else today
    return FilingDocumentData(
        template=template, unit_id=str(uuid.UUID(int=PREVIEW_IDS - 1)), campaign_id=str(uuid.UUID(int=PREVIEW_IDS - 2)),
        unit_name=PREVIEW_UNIT, leader="张三", campaign_title=template.name,
        document_number=template.document_number, deadline=deadline, revision=1, finalised=False,
        pledges=pledges, self_check=sections, filled_on=today,
    )


def render_template_preview(template: PolicyTemplate, progress: Progress | None = None,
                            cancelled: Cancelled | None = None) -> list[RenderedDocument]:
    """附件1, 附件2 and 附件3 as PDFs printed from ``template`` with made-up data, for the editor's preview."""
    return render_all(template_preview_data(template), duplex=False, progress=progress, cancelled=cancelled,
                      documents=PREVIEW_DOCUMENTS)
