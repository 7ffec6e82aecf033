"""The stamp: content hash, footer text, QR code, 草稿 watermark, seal area — read back from PDFs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pdfplumber
import pytest
from filing_samples import CAMPAIGN_ID, UNIT_ID, entry, filing, large_chars, page_texts, png_seal, sections
from scan_images import Scan, qr_texts, render_pages, scanned

from qingqing_desktop.documents import fonts
from qingqing_desktop.documents.filing_data import FindingEntry
from qingqing_desktop.documents.fonts import FontsMissing
from qingqing_desktop.documents.pdf_base import BODY_LEADING, SEAL_SIZE, mm
from qingqing_desktop.documents.selfcheck_pdf import write_selfcheck_pdf
from qingqing_desktop.documents.stamp import (
    PRINTER_MARGIN,
    QR_SIZE,
    SEAL_NOTE,
    attachment_label,
    content_hash,
    date_or_blanks,
    form_code,
    identity_hash,
    short_hash,
    stamp_text,
)
from qingqing_desktop.documents.summary_pdf import write_summary_pdf
from qingqing_desktop.domain import paper_code
from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.domain.paper_code import FormKind
from qingqing_desktop.domain.pledge import PledgeStatus


def summary(data) -> bytes:
    out = io.BytesIO()
    write_summary_pdf(out, data)
    return out.getvalue()


# --------------------------------------------------------------------------- hash and text


def test_content_hash_is_stable_and_ignores_input_order():
    data = filing(8)
    shuffled = dataclasses.replace(data, pledges=tuple(reversed(data.pledges)))
    assert content_hash(data) == content_hash(filing(8)) == content_hash(shuffled)
    assert len(content_hash(data)) == 64 and short_hash(content_hash(data)) == content_hash(data)[:12]


@pytest.mark.parametrize("change", [
    dict(unit_name="房地产科"),
    dict(leader="王主任"),
    dict(campaign_title="另一次行动"),
    dict(document_number="平住建发〔2019〕28号"),
    dict(deadline=dt.date(2019, 3, 15)),
    dict(revision=2),
    dict(filled_on=None),
    dict(pledges=filing(8).pledges[:-1]),
])
def test_content_hash_changes_with_what_is_printed(change):
    assert content_hash(dataclasses.replace(filing(8), **change)) != content_hash(filing(8))


def test_content_hash_changes_with_a_pledge_or_a_finding():
    data = filing(8)
    first = data.pledges[0]
    moved = (dataclasses.replace(first, status=PledgeStatus.UNSIGNED),) + data.pledges[1:]
    assert content_hash(dataclasses.replace(data, pledges=moved)) != content_hash(data)
    edited = sections(long="对企业咨询答复不够及时。")
    assert content_hash(dataclasses.replace(data, self_check=edited)) != content_hash(data)


def test_content_hash_ignores_how_it_is_stamped_and_rectification_progress():
    data = filing(8)
    same = [
        dataclasses.replace(data, finalised=True),
        dataclasses.replace(data, seal_image=png_seal()),
        dataclasses.replace(data, key_fingerprint="3F2A9C1B-0D4E5F60-718293A4-B5C6D7E8-F9011223"),
        dataclasses.replace(data, content_sha256="ab" * 32),
    ]
    rows = list(data.self_check)
    rows[0] = dataclasses.replace(rows[0], findings=tuple(
        dataclasses.replace(f, state="已完成") for f in rows[0].findings))
    same.append(dataclasses.replace(data, self_check=tuple(rows)))
    assert {content_hash(d) for d in same} == {content_hash(data)}


def test_identity_is_the_recorded_hash_once_finalised():
    recorded = "0123456789abcdef" * 4
    final = filing(3, finalised=True, content_sha256=recorded)
    assert identity_hash(final) == recorded
    assert stamp_text(final) == "技术科 · 平阳县住房和城乡建设局“三清单一承诺”行动（2019） · 第1版 · 校验码 0123456789ab"
    draft = filing(3, revision=2)
    assert identity_hash(draft) == content_hash(draft)
    assert "第2版（草稿）" in stamp_text(draft)


def test_small_text_helpers():
    assert attachment_label("附件2") == "附件2：" and attachment_label("附件2：") == "附件2："
    assert date_or_blanks(dt.date(2019, 3, 5)) == "2019年3月5日"
    assert date_or_blanks(None).replace("\u3000", "") == "年月日"


# --------------------------------------------------------------------------- on the page


def footer_hash(pdf: bytes) -> set[str]:
    return {text.split("校验码")[1].split()[0] for text in page_texts(pdf)}


def test_footer_hash_changes_when_the_data_changes_and_not_otherwise():
    data = filing(8)
    first = footer_hash(summary(data))
    assert first == {short_hash(content_hash(data))}
    assert footer_hash(summary(filing(8))) == first
    changed = dataclasses.replace(data, pledges=data.pledges + (entry("新来的"),))
    assert footer_hash(summary(changed)) != first


FINGERPRINT = "3F2A9C1B-0D4E5F60-718293A4-B5C6D7E8-F9011223"


@pytest.mark.parametrize("render,kind", [(write_summary_pdf, FormKind.SUMMARY),
                                         (write_selfcheck_pdf, FormKind.SELF_CHECK)])
def test_qr_code_holds_the_forms_paper_code_and_reads_from_a_150_dpi_scan(render, kind):
    data = filing(40, key_fingerprint=FINGERPRINT, finalised=True, content_sha256="0123456789abcdef" * 4)
    out = io.BytesIO()
    render(out, data)
    pdf = out.getvalue()
    pages = render_pages(pdf, 150)
    assert len(pages) >= (2 if kind is FormKind.SUMMARY else 1)  # every page carries the code
    for number, page in enumerate(pages):
        how = Scan(angle=(0, 90, 180, 270)[number % 4], skew=1.0)
        (text,) = qr_texts(scanned(page, how, seed=number))
        code = paper_code.decode(text)
        assert code == form_code(data, kind)
        assert (code.unit_id, code.campaign_id, code.revision, code.draft) == (UNIT_ID, CAMPAIGN_ID, 1, False)
        assert code.hash_matches(data.content_sha256)
        assert code.fingerprint_matches(FINGERPRINT) == (kind is FormKind.SUMMARY)
    assert stamp_text(data).replace(" ", "") in page_texts(pdf)[0].replace(" ", "").replace("\n", "")


def test_a_draft_says_so_in_its_code():
    (text,) = qr_texts(render_pages(summary(filing(3)), 150, [0])[0])
    code = paper_code.decode(text)
    assert code.draft and code.hash_matches(content_hash(filing(3)))


def qr_box(pdf: bytes, page_number: int = 0) -> tuple[float, float, float, float]:
    """x0, bottom, x1, top (points from the lower left) of the QR code's squares."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[page_number]
        rects = [r for r in page.rects if r["width"] < 3 * QR_SIZE / 33 + 0.01 and r["height"] < QR_SIZE / 32]
        return (min(r["x0"] for r in rects), page.height - max(r["bottom"] for r in rects),
                max(r["x1"] for r in rects), page.height - min(r["top"] for r in rects))


def _selfcheck(data) -> bytes:
    out = io.BytesIO()
    write_selfcheck_pdf(out, data)
    return out.getvalue()


# Odd pages have the page number on the right, next to the code; the 自查表 is landscape.
@pytest.mark.parametrize("render,people,page_number", [(summary, 40, 0), (summary, 40, 1), (_selfcheck, 4, 0)])
def test_qr_code_stays_inside_a_10_mm_printer_margin_clear_of_the_page_number(render, people, page_number):
    pdf = render(filing(people))
    x0, bottom, x1, top = qr_box(pdf, page_number)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[page_number]
        number = [c for c in page.chars if c["size"] == pytest.approx(14.0)]
        footer = [c for c in page.chars if c["size"] < 8]
    assert x1 - x0 == pytest.approx(QR_SIZE, abs=0.5) and top - bottom == pytest.approx(QR_SIZE, abs=0.5)
    assert bottom >= PRINTER_MARGIN - 0.01 and x1 <= page.width - PRINTER_MARGIN + 0.01
    assert QR_SIZE / 33 >= 0.54 * mm  # modules of at least 0.54 mm: 3 pixels at 150 dpi
    quiet = 4 * QR_SIZE / 33
    assert number and footer
    assert all(c["x1"] <= x0 - quiet or page.height - c["top"] <= bottom - quiet for c in number)
    assert all(c["x1"] <= x0 - quiet for c in footer)
    assert all(page.height - c["bottom"] >= PRINTER_MARGIN for c in footer)


def test_watermark_comes_and_goes_with_finalising():
    draft = summary(filing(40))
    assert large_chars(draft) and all(marks == "草稿" for marks in large_chars(draft))
    final = summary(filing(40, finalised=True))
    assert not any(large_chars(final))
    assert not any("草稿" in text for text in page_texts(final))


def _image_and_name_boxes(pdf: bytes, label: str, name: str):
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        (image,) = page.images
        line = next(l for l in page.extract_text_lines() if l["text"].replace(" ", "").startswith(label))
        title = next(l for l in page.extract_text_lines() if l["chars"][0]["size"] > 20)
        chars = [c for c in line["chars"] if c["text"] in name and c["x0"] > line["x0"] + 40]
    return image, (min(c["x0"] for c in chars), max(c["x1"] for c in chars)), line, title


@pytest.mark.parametrize("render,label", [(write_summary_pdf, "单位（盖章）："), (write_selfcheck_pdf, "填报单位：")])
def test_seal_image_centred_over_the_unit_name_within_a_line_of_the_title(render, label):
    out = io.BytesIO()
    render(out, filing(8, seal_image=png_seal()))
    pdf = out.getvalue()
    image, (name_x0, name_x1), line, title = _image_and_name_boxes(pdf, label, "技术科")
    assert image["width"] == pytest.approx(SEAL_SIZE, abs=0.5)
    assert (image["x0"] + image["x1"]) / 2 == pytest.approx((name_x0 + name_x1) / 2, abs=1.0)
    assert 0 <= image["top"] - title["bottom"] <= BODY_LEADING  # its top within one line of the text above
    centre = (image["top"] + image["bottom"]) / 2
    assert centre < (line["top"] + line["bottom"]) / 2 < image["bottom"]  # the line sits below the centre
    assert SEAL_NOTE in "".join(page_texts(pdf)).replace("\n", "")


def test_without_seal_image_the_area_stays_empty():
    pdf = summary(filing(8))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert not doc.pages[0].images
    assert SEAL_NOTE not in "".join(page_texts(pdf))


def test_an_unreadable_seal_image_is_refused_in_chinese():
    with pytest.raises(InputRejected, match="印章图像"):
        summary(filing(3, seal_image=b"not an image"))


def test_missing_fonts_propagate(tmp_path, monkeypatch):
    monkeypatch.setenv("QINGQING_FONT_DIRS", str(tmp_path))
    monkeypatch.setattr(fonts, "system_font_dirs", lambda: [])
    fonts.reset_font_cache()
    try:
        with pytest.raises(FontsMissing):
            summary(filing(3))
    finally:
        monkeypatch.undo()
        fonts.reset_font_cache()


def test_finding_states_are_not_printed():
    data = filing(3)
    rows = list(data.self_check)
    rows[0] = dataclasses.replace(rows[0], findings=(FindingEntry("问题", "措施", "张伟", dt.date(2019, 4, 30), "逾期"),))
    out = io.BytesIO()
    write_selfcheck_pdf(out, dataclasses.replace(data, self_check=tuple(rows)))
    assert "逾期" not in "".join(page_texts(out.getvalue()))


@pytest.mark.parametrize("render,label", [(write_summary_pdf, "单位（盖章）："), (write_selfcheck_pdf, "填报单位：")])
def test_a_long_unit_name_wraps_under_itself_and_nothing_is_lost(render, label):
    name = "平阳县住房和城乡建设局鳌江住房和城乡建设分局"
    out = io.BytesIO()
    render(out, filing(8, unit_name=name, filled_on=None, finalised=True))
    with pdfplumber.open(io.BytesIO(out.getvalue())) as doc:
        lines = [line["text"].replace(" ", "") for line in doc.pages[0].extract_text_lines()]
    text = "".join(lines)
    assert label + name in text or (label + "平阳县住房和城乡建设局" in lines and "鳌江住房和城乡建设分局" in lines)
    assert text.index(name[-4:]) < text.index("年")  # the date follows the name, on the line after it if need be


def test_reportlab_formats_numbers_with_its_c_accelerator():
    """reportlab[accel] is a dependency: without it every coordinate of every page (the QR code's
    squares above all) is formatted in Python, 40% of the time of a thousand 附件1 letters."""
    from reportlab.lib import rl_accel

    assert type(rl_accel.fp_str).__name__ == "builtin_function_or_method"


def test_a_damaged_seal_image_is_named_as_the_setting_to_redo_in_chinese():
    from qingqing_desktop.documents.stamp import _seal_reader
    from qingqing_desktop.domain.errors import InputRejected

    with pytest.raises(InputRejected) as refused:
        _seal_reader(b"\x89PNG\r\n\x1a\n" + bytes(40))
    assert "单位信息" in str(refused.value) and "印章图像" in str(refused.value)
    assert not any(word in str(refused.value) for word in ("cannot", "image", "PIL", "Error")), str(refused.value)
