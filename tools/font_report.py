"""Manual check of the PDF font foundation: which fonts this machine uses, a sample page, timings.

    python tools/font_report.py                 # font per role and fallbacks
    python tools/font_report.py --pdf out.pdf   # also render a sample page (names, body text, table)
    python tools/font_report.py --bench         # wrapping / rendering speed

Look at the sample with e.g. ``pdftoppm -r 80 -png out.pdf /tmp/sample`` and ``pdffonts out.pdf``.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.lib import colors  # noqa: E402
from reportlab.platypus import BaseDocTemplate, PageTemplate, Spacer, Table, TableStyle  # noqa: E402

from qingqing_desktop.documents import pdf_base as P  # noqa: E402
from qingqing_desktop.documents.cjk_text import CJKParagraph, wrap_text  # noqa: E402
from qingqing_desktop.documents.fonts import FontsMissing, font_chain, font_report, missing_characters  # noqa: E402

NAMES = ["张三", "李𡈽", "王䶮", "陈喆", "刘堃", "欧阳娜娜", "阿依古丽·买买提"]
BODY = (
    "为深入贯彻落实全面从严治党要求，构建“亲”“清”新型政商关系，根据《关于开展“三清单一承诺”行动的通知》"
    "（平住建发〔2019〕27号）精神，结合我局实际，制定本方案。各科室、站、分局（所）要高度重视，认真组织"
    "干部职工签订反对“挈篮子”承诺书，并于2019年3月15日前报送局机关纪委（监察室）。联系人：王五，电话：0577-653260。"
)


def _table(rows: int) -> Table:
    song, hei = font_chain("song"), font_chain("hei")
    header = [CJKParagraph(h, hei, P.SIZE_5HAO, 14, "center") for h in ("序号", "姓名", "职务", "工作岗位", "是否党员")]
    data = [header]
    for i in range(rows):
        data.append([
            CJKParagraph(str(i + 1), song, P.SIZE_5HAO, 14, "center"),
            CJKParagraph(NAMES[i % len(NAMES)], song, P.SIZE_5HAO, 14, "center"),
            CJKParagraph("方案设计技术审查科副科长（主持工作）", song, P.SIZE_5HAO, 14),
            CJKParagraph("建筑市场监管", song, P.SIZE_5HAO, 14),
            CJKParagraph("是" if i % 3 else "否", song, P.SIZE_5HAO, 14, "center"),
        ])
    table = Table(data, colWidths=[12 * P.mm, 28 * P.mm, 56 * P.mm, 40 * P.mm, 20 * P.mm], repeatRows=1)
    table.setStyle(TableStyle(P.table_font_commands(song) + [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


def render_sample(path: Path, table_rows: int = 20) -> None:
    body, title = font_chain("fangsong"), font_chain("title")
    doc = BaseDocTemplate(str(path), **P.doc_template_kwargs(body, title="字体样张"))

    def on_page(canvas, document):
        P.draw_page_number(canvas, document.page, font_chain("song"))

    doc.addPageTemplates([PageTemplate("body", [P.text_frame()], onPage=on_page)])
    story = [
        CJKParagraph("关于开展“三清单一承诺”行动的实施方案", title, P.SIZE_2HAO, P.BODY_LEADING * 1.5, "center"),
        CJKParagraph(BODY * 2, body, P.SIZE_3HAO, P.BODY_LEADING, "justify", 2, char_space=P.BODY_CHAR_SPACE),
        CJKParagraph("签名：" + "、".join(NAMES), font_chain("kai"), P.SIZE_3HAO, P.BODY_LEADING, "justify", 2,
                     char_space=P.BODY_CHAR_SPACE),
        Spacer(1, P.BODY_LEADING / 2),
        _table(table_rows),
    ]
    doc.build(story)


def bench() -> None:
    song = font_chain("song")
    rng = random.Random(1)
    pool = BODY.replace("\n", "")
    cells = ["".join(rng.choice(pool) for _ in range(40)) for _ in range(1000)]
    start = time.perf_counter()
    for cell in cells:
        wrap_text(cell, song, P.SIZE_5HAO, 45 * P.mm)
    print(f"wrap 1,000 distinct 40-character cells (10.5 pt, 45 mm): {time.perf_counter() - start:.3f} s")
    start = time.perf_counter()
    for cell in cells:
        wrap_text(cell, song, P.SIZE_5HAO, 45 * P.mm)
    print(f"the same again (cache hits): {time.perf_counter() - start:.4f} s")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bench.pdf"
        start = time.perf_counter()
        render_sample(out, table_rows=1000)
        print(f"render a PDF with a 1,000-row × 5-column table of CJKParagraph cells: "
              f"{time.perf_counter() - start:.2f} s, {out.stat().st_size // 1024} KiB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf", type=Path, help="render a sample PDF here")
    parser.add_argument("--bench", action="store_true", help="time wrapping and rendering")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        lines = font_report()
    except FontsMissing as exc:
        print(exc)
        return 1
    print("\n".join(lines))
    print(f"（查找字体用时 {time.perf_counter() - start:.2f} 秒）")
    missing = missing_characters("".join(NAMES) + BODY, font_chain("fangsong"))
    print("样例中缺字：" + ("".join(missing) if missing else "无"))
    if args.pdf:
        render_sample(args.pdf)
        print(f"样张：{args.pdf}")
    if args.bench:
        bench()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
