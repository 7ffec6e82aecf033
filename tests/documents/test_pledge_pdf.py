"""附件1 承诺书: letters read back from the PDF — texts, people, order, pages, fonts."""

from __future__ import annotations

import dataclasses
import io

import pdfplumber
import pytest
from filing_samples import (
    BEFORE,
    CAMPAIGN_ID,
    CADRE,
    NOT_APPLICABLE,
    SIGNED,
    UNSIGNED,
    all_text,
    assert_seed_lines_in,
    assert_fonts_embedded,
    assert_no_line_starts_with_closing_punctuation,
    compact,
    entry,
    filing,
    large_chars,
    metadata,
    page_count,
    page_texts,
    people,
    seed_attachment,
    text_lines,
)
from scan_images import Scan, qr_texts, render_pages, scanned

from qingqing_desktop import __version__
from qingqing_desktop.documents.pdf_base import SIZE_4HAO
from qingqing_desktop.documents.pledge_pdf import letter_unit_post, write_blank_pledge, write_pledge_letters
from qingqing_desktop.domain import paper_code
from qingqing_desktop.domain.names import sort_key


def render(data, **options) -> bytes:
    out = io.BytesIO()
    write_pledge_letters(out, data, **options)
    return out.getvalue()


def letter_pages(pdf) -> list[str]:
    return [text for text in page_texts(pdf) if text.strip()]


def test_each_letter_has_the_templates_texts_verbatim():
    data = filing(3)
    pledge = data.template.pledge
    for text in letter_pages(render(data)):
        page = compact(text)
        assert page.startswith("附件1：" + compact(pledge.title))
        assert compact(pledge.preamble) in page
        for n, item in enumerate(pledge.items, start=1):
            assert compact(f"{n}．{item}") in page
        assert compact(pledge.closing) in page
        assert compact(pledge.unit_post_label) in page and compact(pledge.signer_label) in page
        assert page.count("年") >= 1 and "月" in page and "日" in page


def test_letter_reproduces_seed_attachment_1():
    page = compact(letter_pages(render(filing(1)))[0])
    for line in seed_attachment(1):
        assert compact(line) in page, line  # 承诺人单位及职务 is followed by its value, the rest is verbatim
    assert_seed_lines_in(page, seed_attachment(1))


def test_one_letter_per_person_to_sign_in_pinyin_order_with_unit_and_post():
    pledges = (
        entry("张三", CADRE, "分管行政审批", SIGNED, title="科长"),
        entry("王䶮", post="质量监管", status=UNSIGNED),
        entry("李𡈽", post="安全监管", status=UNSIGNED, title="科员"),
        entry("赵六", post="质量监管", status=BEFORE),  # handed in before: no letter
        entry("钱七", post="规划核实", status=NOT_APPLICABLE),  # 不适用: no letter
        entry("孙八", post="办公室", status=UNSIGNED, required=False),  # need not sign: no letter
    )
    pdf = render(filing(pledges=pledges), duplex=False)
    pages = [compact(t) for t in page_texts(pdf)]
    expected = sorted(["张三", "王䶮", "李𡈽"], key=sort_key)
    assert expected == ["李𡈽", "王䶮", "张三"]
    assert len(pages) == 3
    for page, name in zip(pages, expected):
        assert f"承诺人：{name}" in page  # the footer line names the person
    assert "承诺人单位及职务：技术科科员" in pages[0]
    assert "承诺人单位及职务：技术科一般工作人员" in pages[1]  # no title: the rank category word
    assert "承诺人单位及职务：技术科科长" in pages[2]
    assert letter_unit_post("技术科", pledges[0]) == "技术科 科长"


def test_duplex_gives_each_letter_its_own_sheet():
    data = filing(5)
    k = len(data.letter_entries())
    duplex = render(data)
    assert page_count(duplex) == 2 * k
    texts = page_texts(duplex)
    assert all(texts[i].strip() for i in range(0, 2 * k, 2))  # fronts: the letters
    assert not any(texts[i].strip() for i in range(1, 2 * k, 2))  # backs: empty
    assert page_count(render(data, duplex=False)) == k


def test_outstanding_only_prints_the_letters_still_to_sign():
    pledges = (entry("张三", status=SIGNED), entry("李四", status=UNSIGNED), entry("王五", status=UNSIGNED))
    pdf = render(filing(pledges=pledges), duplex=False, outstanding_only=True)
    text = all_text(pdf)
    assert page_count(pdf) == 2 and "张三" not in text and "李四" in text and "王五" in text


def test_no_one_to_sign_gives_one_blank_letter():
    pdf = render(filing(pledges=(entry("赵六", status=BEFORE),)), duplex=False)
    assert page_count(pdf) == 1 and "赵六" not in all_text(pdf)


def test_blank_letter_for_hand_filling():
    out = io.BytesIO()
    write_blank_pledge(out, filing(3))
    pdf = out.getvalue()
    text = all_text(pdf)
    assert page_count(pdf) == 1
    assert compact(filing().template.pledge.preamble) in text
    assert "承诺人单位及职务：承诺人：" in text  # both left blank
    assert "技术科" not in text  # no footer, no unit: the whole letter is filled in by hand


def test_fonts_embedded_rare_names_extract_and_line_breaking_rules():
    pledges = (entry("李𡈽"), entry("王䶮", title="一级主任科员"), entry("陈喆"))
    pdf = render(filing(pledges=pledges, unit_name="平阳县住房和城乡建设局鳌江住房和城乡建设分局"), duplex=False)
    assert_fonts_embedded(pdf)
    text = all_text(pdf)
    for name in ("李𡈽", "王䶮", "陈喆"):
        assert f"承诺人：{name}" in text
    # a long unit name and title wrap onto a second line; the letter still fits one page
    assert page_count(pdf) == 3
    assert "平阳县住房和城乡建设局鳌江住房和城乡建设分局一级主任科员" in text
    assert_no_line_starts_with_closing_punctuation(pdf)


def test_letters_carry_no_draft_watermark_and_have_metadata():
    data = filing(2, finalised=False)
    pdf = render(data)
    assert not any(large_chars(pdf))  # signed while the filing is a draft, filed as they are
    meta = metadata(pdf)
    assert meta["/Author"] == "技术科"
    assert meta["/Subject"] == data.campaign_title
    assert meta["/Creator"] == f"亲清填报 {__version__}"
    assert "反对“挈篮子”承诺书" in meta["/Title"]


@pytest.mark.parametrize("n", [40])
def test_forty_letters_stay_one_page_each(n):
    data = filing(n)
    pdf = render(data, duplex=False)
    assert page_count(pdf) == len(data.letter_entries()) == n
    assert [p for p in page_texts(pdf) if "承诺人：" in p][-1]
    assert people(n)[0].name in all_text(pdf)


def test_body_is_set_on_the_28_character_grid():
    pdf = render(filing(1), duplex=False)
    preamble = compact(filing().template.pledge.preamble)
    lines = [compact(line) for line in text_lines(pdf)[0]]
    body = [line for line in lines if line and line in preamble]
    assert len(body) == 3 and "".join(body) == preamble
    # at most 26 after the two-character indent (25 here: 康 goes down with the ” after it), then 28
    assert len(body[0]) <= 26 and len(body[1]) == 28


# --------------------------------------------------------------------------- page numbers and letter codes


def letter_codes(pdf, dpi: int = 150, scan: Scan | None = None) -> list[paper_code.LetterCode | None]:
    """The paper code read from each page (None: no code), through a simulated scan when ``scan`` is given."""
    codes = []
    for number, page in enumerate(render_pages(pdf, dpi)):
        texts = qr_texts(scanned(page, scan, seed=number) if scan else page)
        assert len(texts) <= 1
        codes.append(paper_code.decode(texts[0]) if texts else None)
    return codes


def page_numbers(pdf) -> list[tuple[str, str]]:
    """Per page: the 4号 page number's text and side ("left"/"right"), or ("", "")."""
    out = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            chars = [c for c in page.chars if c["size"] == pytest.approx(SIZE_4HAO)]
            text = "".join(c["text"] for c in chars).strip()
            side = "" if not chars else ("right" if chars[0]["x0"] > page.width / 2 else "left")
            out.append((text, side))
    return out


def test_every_letter_page_has_its_number_and_a_code_that_reads_from_a_150_dpi_scan():
    data = filing(3)
    entries = data.letter_entries()
    pdf = render(data)  # duplex: letter, empty back, letter, …
    assert page_numbers(pdf) == [("— 1 —", "right"), ("", "")] * 3
    codes = letter_codes(pdf, scan=Scan(angle=180, skew=-1.5))
    assert codes[1::2] == [None] * 3  # the empty backs stay empty
    fronts = codes[0::2]
    assert [(c.campaign_id, c.staff_id, c.page) for c in fronts] == [(CAMPAIGN_ID, e.staff_id, 1) for e in entries]
    assert len({c.letter_id for c in fronts}) == 3  # each printed letter has an id of its own
    texts = page_texts(pdf)
    for code, entry_, text in zip(fronts, entries, texts[0::2]):
        assert f"承诺人：{entry_.name}" in text and f"承诺书编号{paper_code.letter_number(code.letter_id)}" in compact(text)
    assert not any(large_chars(pdf))


def test_a_two_page_letter_counts_its_own_pages_and_keeps_one_id():
    template = filing().template
    longer = dataclasses.replace(template, pledge=dataclasses.replace(template.pledge, items=template.pledge.items * 3))
    data = filing(2, template=longer)
    pdf = render(data, duplex=False)
    assert page_numbers(pdf) == [("— 1 —", "right"), ("— 2 —", "left")] * 2  # GB/T 9704: even pages left
    codes = letter_codes(pdf, scan=Scan(angle=90, skew=1.0))
    assert [c.page for c in codes] == [1, 2, 1, 2]
    assert codes[0].letter_id == codes[1].letter_id != codes[2].letter_id == codes[3].letter_id
    assert codes[0].staff_id == codes[1].staff_id != codes[2].staff_id


@pytest.mark.parametrize("dpi,scan", [(150, Scan(angle=90, skew=2.0, noise=0.25)), (300, Scan(angle=270, blur=1.2))])
def test_letter_codes_read_from_rotated_skewed_noisy_scans(dpi, scan):
    data = filing(2)
    codes = letter_codes(render(data, duplex=False), dpi, scan)
    assert [c.staff_id for c in codes] == [e.staff_id for e in data.letter_entries()]


def test_a_blank_letter_has_its_page_number_and_no_code():
    out = io.BytesIO()
    write_blank_pledge(out, filing(3))
    pdf = out.getvalue()
    assert page_numbers(pdf) == [("— 1 —", "right")]
    assert letter_codes(pdf) == [None]
