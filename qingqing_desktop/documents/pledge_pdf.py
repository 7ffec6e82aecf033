"""附件1 反对“挈篮子”承诺书: one letter per person to sign, and a blank letter.

The page follows GB/T 9704 for an attachment on its 22-line grid: “附件1：” in 3号
黑体 on the first line, the title in 2号 centred on the third, a blank line, the
pledge in 3号 仿宋 (28 characters a line, first lines indented two characters, items
numbered 1．2．3．4．), then the signature block: 承诺人单位及职务 filled in on a
rule, 承　　诺　　人 with an empty rule for the hand, and 年 月 日 to write in. The
pledge texts are the campaign template's, never this module's.

A letter is signed by hand while the filing is still a draft and then filed as it
is, so letters carry no 草稿 watermark and no seal area. Each page of a letter has
its page number as GB/T 9704 puts it (“— 1 —”, 4号, counted within the letter, so
odd pages — the fronts, in duplex — have it on the right), a small grey line naming
unit, campaign, person and the letter's number, and a QR code with the letter's
paper code (campaign, person, letter id, page: domain/paper_code.py), by which the
承诺书 scan import files the signed pages back under each person. Every printed
letter gets an id of its own, so two prints of one person's letter stay apart.
With ``duplex`` (the default) every letter starts on the front of a sheet: a
one-page letter is followed by an empty back page, so k one-page letters make 2k
pages and a stack printed double-sided can be handed out sheet by sheet.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from reportlab.platypus import KeepTogether, NextPageTemplate, PageBreak, Spacer
from reportlab.platypus.flowables import Flowable

from qingqing_desktop.documents.cjk_text import CJK_ASCENT, CJKParagraph, draw_lines, text_width, wrap_text
from qingqing_desktop.documents.filing_data import FilingDocumentData, PledgeEntry
from qingqing_desktop.documents.fonts import FontChain, font_chain
from qingqing_desktop.documents.pdf_base import (
    BODY_CHAR_SPACE,
    BODY_LEADING,
    BODY_LINES,
    SIZE_2HAO,
    SIZE_3HAO,
    TEXT_WIDTH,
    draw_page_number,
)
from qingqing_desktop.documents.stamp import PORTRAIT, attachment_heading, draw_footer_stamp, write_pdf
from qingqing_desktop.documents.words import compose
from qingqing_desktop.domain import paper_code
from qingqing_desktop.domain.policy import Pledge, PolicyTemplate

__all__ = ["letter_unit_post", "write_pledge_letters", "write_blank_pledge"]

DATE_LINE = "　　　　年　　月　　日　　"  # written by hand; ends two characters in from the right
UNIT_POST_RULE_CHARS = 12  # a blank 承诺人单位及职务 leaves this much rule to write on
SIGNER_RULE_CHARS = 8
RULE_DROP = 3.0  # rule below the baseline, points

_LETTER, _BLANK_PAGE = "letter", "blank"


def letter_unit_post(unit_name: str, entry: PledgeEntry) -> str:
    """承诺人单位及职务: the unit and the job title (技术科 科长), or the rank category
    word when the roster has no title (技术科 一般工作人员)."""
    return f"{unit_name} {entry.title.strip() or entry.rank.value}"


# --------------------------------------------------------------------------- flowables


class _FillLine(Flowable):
    """“label value” on the body grid with a rule under the value (or an empty rule to write on).

    Wraps like body text when the value is long, but only between words: the value is
    the unit name and the job title (``letter_unit_post``), and a line never ends inside
    a job title or inside a level of the unit's name (``words``). A line the value goes
    on from is ruled to the margin; the last line's rule runs under its part of the value,
    at least ``min_rule_chars`` characters after the label.
    """

    def __init__(self, label: str, value: str, chain: FontChain, *, min_rule_chars: int,
                 indent_chars: int = 2):
        super().__init__()
        self.label, self.value, self.chain = label, value, chain
        self.min_rule = min_rule_chars * (SIZE_3HAO + BODY_CHAR_SPACE)
        self.indent = indent_chars * (SIZE_3HAO + BODY_CHAR_SPACE)
        unit, _space, title = value.partition(" ")
        self.text, self.words = compose((label, None), (unit, "unit"), (_space, None), (title, "title"))

    def wrap(self, availWidth, availHeight):  # noqa: N803 - platypus API
        self._lines = wrap_text(self.text, self.chain, SIZE_3HAO, availWidth,
                                first_indent=self.indent, char_space=BODY_CHAR_SPACE, words=self.words)
        self.width, self.height = availWidth, len(self._lines) * BODY_LEADING
        return self.width, self.height

    def draw(self):
        canv = self.canv
        baseline = self.height - (BODY_LEADING - SIZE_3HAO) / 2 - CJK_ASCENT * SIZE_3HAO
        draw_lines(canv, 0.0, baseline, self._lines, self.chain, SIZE_3HAO, BODY_LEADING,
                   first_indent=self.indent, char_space=BODY_CHAR_SPACE)
        label_end = self.indent + text_width(self.label, self.chain, SIZE_3HAO, BODY_CHAR_SPACE) + BODY_CHAR_SPACE
        canv.saveState()
        canv.setLineWidth(0.6)
        y = baseline - RULE_DROP
        last = len(self._lines) - 1
        for i, line in enumerate(self._lines):
            start = label_end if i == 0 else 0.0
            end = (self.indent if i == 0 else 0.0) + text_width(line, self.chain, SIZE_3HAO, BODY_CHAR_SPACE)
            if i < last:
                end = self.width  # a line the value goes on from is ruled to the margin, as on a form
            elif i == 0:
                end = min(max(end, label_end + self.min_rule), self.width)
            canv.line(start, y, end, y)
            y -= BODY_LEADING
        canv.restoreState()


@dataclass(frozen=True)
class _LetterIdentity:
    """Whose letter the pages from here on belong to: the footer line, and the paper code
    of its first page (None: a blank letter, to be filled in by hand, has none)."""

    text: str
    code: paper_code.LetterCode | None


class _LetterStart(Flowable):
    """Zero-size marker at the start of a letter: its pages are counted from here, and carry
    ``identity`` in their footer (drawn at page end)."""

    _ZEROSIZE = 1

    def __init__(self, identity: _LetterIdentity):
        super().__init__()
        self.identity = identity
        self.width = self.height = 0

    def wrap(self, availWidth, availHeight):  # noqa: N803 - platypus API
        return 0, 0

    def draw(self):
        doc = self.canv._doctemplate
        doc.letter_identity, doc.letter_first_page = self.identity, doc.page


class _NextSheet(Flowable):
    """Start the next letter on a new page; in duplex, on the front of a new sheet.

    Decided when laid out, because only then is it known on which page the letter ended:
    after an odd (front) page, an empty back page is inserted. ``last``: no letter
    follows, only the empty back page (if any) is added.
    """

    _ZEROSIZE = 1

    def __init__(self, duplex: bool, *, last: bool = False):
        super().__init__()
        self.duplex, self.last = duplex, last
        self.width = self.height = 0

    def wrap(self, availWidth, availHeight):  # noqa: N803 - platypus API
        doc = self.canv._doctemplate
        content: list[Flowable] = []
        if self.duplex and doc.page % 2 == 1:
            # Spacer: a page only exists once something is laid out on it.
            content = [NextPageTemplate(_BLANK_PAGE), PageBreak(), Spacer(0, 0)]
        if not self.last:
            content += [NextPageTemplate(_LETTER), PageBreak()] if content else [PageBreak()]
        doc.frame.add_generated_content(*content)
        return 0, 0

    def draw(self):
        pass


# --------------------------------------------------------------------------- one letter


def _body_paragraph(text: str, chain: FontChain) -> CJKParagraph:
    return CJKParagraph(text, chain, SIZE_3HAO, BODY_LEADING, alignment="justify", first_line_indent_chars=2,
                        char_space=BODY_CHAR_SPACE)


def _line_count(text: str, chain: FontChain, size: float, *, indent_chars: int = 0, char_space: float = 0.0) -> int:
    return len(wrap_text(text, chain, size, TEXT_WIDTH, first_indent=indent_chars * (size + char_space),
                         char_space=char_space))


def _letter(pledge: Pledge, label: str, unit_post: str) -> list[Flowable]:
    """The flowables of one letter; ``unit_post`` "" leaves the rule blank."""
    body_chain, title_chain = font_chain("fangsong"), font_chain("title")
    texts = [pledge.preamble, *(f"{n}．{item}" for n, item in enumerate(pledge.items, start=1))]
    if pledge.closing:
        texts.append(pledge.closing)
    title_lines = _line_count(pledge.title, title_chain, SIZE_2HAO)
    body_lines = sum(_line_count(t, body_chain, SIZE_3HAO, indent_chars=2, char_space=BODY_CHAR_SPACE) for t in texts)
    unit_line = _FillLine(pledge.unit_post_label, unit_post, body_chain, min_rule_chars=UNIT_POST_RULE_CHARS)
    unit_lines = round(unit_line.wrap(TEXT_WIDTH, 0)[1] / BODY_LEADING)
    # Blank lines of the grid, in the order they are given up when the letter would not
    # fit one page: between 单位及职务 and the signature, under the title, and last under
    # the label — so “附件1：” and the title stand alike on every letter, whatever the
    # length of its unit and job title. The one above the signature block always stays.
    blanks = {"after_label": 1, "before_signer": 1, "after_title": 1}
    used = 1 + title_lines + body_lines + 1 + unit_lines + 1 + 1 + sum(blanks.values())
    for key in ("before_signer", "after_title", "after_label"):
        if used <= BODY_LINES:
            break
        blanks[key] = 0
        used -= 1

    story = attachment_heading(label, pledge.title, blank_after_label=bool(blanks["after_label"]))
    story.append(Spacer(0, blanks["after_title"] * BODY_LEADING))
    story.extend(_body_paragraph(t, body_chain) for t in texts[:-1])
    signature = [
        _body_paragraph(texts[-1], body_chain),
        Spacer(0, BODY_LEADING),
        unit_line,
        Spacer(0, blanks["before_signer"] * BODY_LEADING),
        _FillLine(pledge.signer_label, "", body_chain, min_rule_chars=SIGNER_RULE_CHARS),
        CJKParagraph(DATE_LINE, body_chain, SIZE_3HAO, BODY_LEADING, alignment="right", char_space=BODY_CHAR_SPACE),
    ]
    # The last paragraph goes with the signature block, so a signature never stands alone on a page.
    story.append(KeepTogether(signature))
    return story


# --------------------------------------------------------------------------- documents


def _letter_page_end(canvas, doc) -> None:
    """A letter page's page number (within the letter), its footer line and QR code."""
    identity: _LetterIdentity | None = getattr(doc, "letter_identity", None)
    page = doc.page - getattr(doc, "letter_first_page", 1) + 1
    draw_page_number(canvas, page, font_chain("song"))
    if identity is None:
        return
    qr_text = None
    if identity.code is not None:
        qr_text = paper_code.encode(paper_code.LetterCode(identity.code.campaign_id, identity.code.staff_id,
                                                          identity.code.letter_id, page))
    draw_footer_stamp(canvas, PORTRAIT, [identity.text] if identity.text else [], qr_text)


def _no_decoration(canvas, doc) -> None:
    pass


def _identity(data: FilingDocumentData, entry: PledgeEntry) -> _LetterIdentity:
    code = paper_code.LetterCode(data.campaign_id, entry.staff_id, str(uuid.uuid4()))
    number = paper_code.letter_number(code.letter_id)
    return _LetterIdentity(" · ".join((data.unit_name, data.campaign_title, f"承诺人：{entry.name}",
                                       f"承诺书编号 {number}")), code)


def _metadata(data: FilingDocumentData, title: str) -> dict:
    return dict(title=title, subject=data.campaign_title, author=data.unit_name)


def write_pledge_letters(out: Path | str | BinaryIO, data: FilingDocumentData, *, duplex: bool = True,
                         outstanding_only: bool = False) -> int:
    """One 附件1 letter per person of ``data.letter_entries()``; returns the number of letters.

    With no one to write for, the file holds one blank letter (an empty PDF helps nobody).
    """
    template: PolicyTemplate = data.template
    pledge = template.pledge
    label = template.pledge_attachment_label
    entries = data.letter_entries(outstanding_only=outstanding_only)
    story: list[Flowable] = []
    for index, entry in enumerate(entries):
        if index:
            story.append(_NextSheet(duplex))
        story.append(_LetterStart(_identity(data, entry)))
        story.extend(_letter(pledge, label, letter_unit_post(data.unit_name, entry)))
    if not entries:
        story.extend(_letter(pledge, label, ""))
    story.append(_NextSheet(duplex, last=True))  # the last sheet's back page too: 2k pages for k letters
    write_pdf(out, story, geometry=PORTRAIT, pages={_LETTER: _letter_page_end, _BLANK_PAGE: _no_decoration},
              **_metadata(data, f"{label} {pledge.title}（{data.unit_name}，{len(entries)}份）"))
    return len(entries)


def write_blank_pledge(out: Path | str | BinaryIO, data: FilingDocumentData) -> None:
    """One blank 附件1 letter for hand-filling (unit and post, signature and date all blank)."""
    template = data.template
    label = template.pledge_attachment_label
    story = _letter(template.pledge, label, "")
    write_pdf(out, story, geometry=PORTRAIT, pages={_LETTER: _letter_page_end},
              **_metadata(data, f"{label} {template.pledge.title}（空白）"))
