"""qingqing-cli office enable|units|status|show|return|confirm|export|import-excel|check-paper — 纪委（监察室）模式"""

from __future__ import annotations

from pathlib import Path

from qingqing_desktop.cli.output import print_json, print_table, progress_printer
from qingqing_desktop.domain.dates import local_time
from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.domain.office import SIGNED_MARK_NOTE
from qingqing_desktop.services import office_service


def register(commands) -> None:
    enable = commands.add_parser("enable", help="把本数据库设为纪委（监察室）模式（生成纪委（监察室）密钥）")
    enable.add_argument("--name", required=True, help="纪委（监察室）名称，如 局机关纪委（监察室）")
    enable.set_defaults(handler=enable_office, creates_database=True)

    units = commands.add_parser("units", help="应报单位").add_subparsers(dest="units_command", required=True,
                                                                      metavar="子命令")
    add = units.add_parser("add", help="添加应报单位（可一次添加多个）")
    add.add_argument("names", nargs="+", metavar="NAME", help="单位名称")
    add.set_defaults(handler=add_units)
    rekey = units.add_parser("rekey", help="单位更换电脑后，核对并重新登记其密钥指纹")
    rekey.add_argument("--unit", required=True, help="单位名称")
    rekey.add_argument("--fingerprint", required=True, help="新的密钥指纹（与盖章的汇总表上打印的一致）")
    rekey.set_defaults(handler=rekey_unit)

    status = commands.add_parser("status", help="各单位报送情况一览")
    status.add_argument("--json", action="store_true", help="以 JSON 输出")
    status.set_defaults(handler=show_status)

    show = commands.add_parser("show", help="一个单位的报送详情")
    show.add_argument("--unit", required=True, help="单位名称")
    show.add_argument("--json", action="store_true", help="以 JSON 输出")
    show.set_defaults(handler=show_unit)

    back = commands.add_parser("return", help="退回一个单位的报送，并生成退回文件交该单位导入")
    back.add_argument("--unit", required=True, help="单位名称")
    back.add_argument("--comment", help="退回意见（不写时只列出按报送数据拟的意见草稿，不退回）")
    back.add_argument("--out", type=Path, help="退回文件或文件夹（仅以Excel报送的单位不生成文件）")
    back.set_defaults(handler=return_filing)

    confirm = commands.add_parser("confirm", help="确认一个单位的报送")
    confirm.add_argument("--unit", required=True, help="单位名称")
    confirm.set_defaults(handler=confirm_filing)

    export = commands.add_parser("export", help="导出全局汇总：各单位附件2的Excel，和/或报送情况一览PDF")
    export.add_argument("--out", type=Path, help="汇总Excel文件（.xlsx）")
    export.add_argument("--pdf", type=Path, help="报送情况一览PDF文件（.pdf）")
    export.set_defaults(handler=export_outputs)

    excel = commands.add_parser("import-excel", help="导入未使用本程序的单位报来的附件2 Excel（标为未签名）")
    excel.add_argument("--unit", required=True, help="单位名称")
    excel.add_argument("file", type=Path, help="附件2 Excel 文件（.xlsx）")
    excel.set_defaults(handler=import_excel)

    paper = commands.add_parser("check-paper", help="核对盖章纸质件（附件2、附件3）的扫描件与收到的报送数据是否一致")
    paper.add_argument("source", type=Path, metavar="FILE|DIR", help="扫描得到的 PDF、图片文件，或放扫描图片的文件夹")
    paper.add_argument("--json", action="store_true", help="以 JSON 输出")
    paper.set_defaults(handler=check_paper)


def enable_office(args, session) -> int:
    info = office_service.enable_office_mode(session, args.name)
    print(f"已启用纪委（监察室）模式：{info.name}")
    print(f"纪委（监察室）密钥指纹：{info.fingerprint}")
    return 0


def add_units(args, session) -> int:
    units = office_service.add_expected_units(session, args.names)
    print(f"应报单位（{len(units)}个）：{'、'.join(u.name for u in units)}")
    return 0


def rekey_unit(args, session) -> int:
    unit = office_service.register_unit_key(session, args.unit, args.fingerprint)
    print(f"已为“{unit.name}”重新登记密钥指纹：{unit.fingerprint}")
    return 0


def _count(value) -> str:
    return "—" if value is None else str(value)


def show_status(args, session) -> int:
    board = office_service.board(session)
    if args.json:
        print_json({"campaign": {"id": board.campaign.id, "title": board.campaign.title,
                                 "deadline": board.campaign.deadline.isoformat()},
                    "units": [r.to_dict() for r in board.rows], "totals": vars(board.totals)})
        return 0
    print(f"{board.campaign.title}（截止 {board.campaign.deadline.isoformat()}）")
    rows = [
        [r.listed_unit, ("已报送" if r.signed else "Excel未签名") if r.delivered else "未报送",
         f"第{r.revision}版" if r.revision else "", local_time(r.first_delivered_at), r.on_time_label,
         _count(r.pledges_required) if r.delivered else "",
         (_count(r.pledges_signed) + r.signed_mark) if r.delivered else "",
         *(_count(v) if r.delivered else "" for v in (r.pledges_outstanding, r.findings_open, r.findings_done)),
         r.state.value + (f"（冲突{r.conflicts}）" if r.conflicts else "")]
        for r in board.rows
    ]
    print_table(["单位", "报送", "版次", "首次报送时间", "按时", "应签", "已签", "未签", "问题未整改", "问题已整改", "状态"], rows)
    t = board.totals
    print(f"{t.units_text(' ')}；按时 {t.on_time}，逾期 {t.late}，逾期未报 {t.overdue}；"
          f"承诺书应签 {t.pledges_required}人、已签 {t.signed_text()}、未签 {t.pledges_outstanding}人")
    if any(r.pledges_signed_unrequired for r in board.rows):
        print(SIGNED_MARK_NOTE)
    return 0


def show_unit(args, session) -> int:
    unit = office_service.find_unit(session, args.unit)
    detail = office_service.unit_detail(session, unit.id)
    if args.json:
        print_json({
            **detail.row.to_dict(),
            "documents": list(detail.documents),
            "deliveries": [{"file": d.file_name, "revision": d.revision, "sequence": d.sequence,
                            "created_at": d.created_at, "imported_at": d.imported_at, "outcome": d.outcome.label,
                            "changes": "" if d.changes.empty else d.changes.summary()} for d in detail.deliveries],
            "reviews": [{"revision": r.revision, "state": r.state.value, "comment": r.comment, "at": r.at}
                        for r in detail.reviews],
            "summary_rows": [vars(r) for r in detail.summary_rows],
        })
        return 0
    row = detail.row
    print(f"单位：{row.unit}　状态：{row.state.value}　{('第' + str(row.revision) + '版') if row.revision else ''}")
    if row.fingerprint:
        print(f"登记的密钥指纹：{row.fingerprint}")
    for d in detail.deliveries:
        change = "" if d.changes.empty else f"：{d.changes.summary()}"
        print(f"  {local_time(d.imported_at)} 导入 {d.file_name}（第{d.revision}版，{d.outcome.label}）{change}")
    for r in detail.reviews:
        print(f"  {local_time(r.at)} 第{r.revision}版{r.state.value}{('：' + r.comment) if r.comment else ''}")
    if detail.documents:
        print(f"文书：{'、'.join(detail.documents)}")
    return 0


def return_filing(args, session) -> int:
    if not args.comment:
        # As the 退回修改 dialog starts: a draft from the filing, for the reviewer to check and pass back.
        draft = office_service.return_draft(
            office_service.unit_detail(session, office_service.find_unit(session, args.unit).id))
        if draft:
            print(f"按报送数据拟的退回意见草稿（核对、补充后用 --comment 退回）：\n{draft}")
        raise InputRejected("请用 --comment 写明退回意见。", Location(field="退回意见"))
    result = office_service.return_filing(session, args.unit, args.comment, args.out)
    if result.path:
        print(f"已退回第{result.review.revision}版，退回文件：{result.path}（请交该单位导入）")
    else:
        print(f"已记录退回第{result.review.revision}版（该单位以Excel报送，未生成退回文件，请另行告知退回意见）")
    return 0


def confirm_filing(args, session) -> int:
    review = office_service.confirm_filing(session, args.unit)
    print(f"已确认“{args.unit}”第{review.revision}版")
    return 0


def export_outputs(args, session) -> int:
    if args.out is None and args.pdf is None:
        raise InputRejected("请用 --out 指定汇总Excel文件，或用 --pdf 指定报送情况一览PDF文件。")
    if args.out is not None:
        print(f"已导出汇总Excel：{office_service.export_workbook(session, args.out)}")
    if args.pdf is not None:
        print(f"已导出报送情况一览PDF：{office_service.export_overview_pdf(session, args.pdf)}")
    return 0


def import_excel(args, session) -> int:
    result = office_service.import_summary_excel(session, args.unit, args.file)
    print(f"{result.unit.name}：{result.verdict.value}，{result.people}人（未签名数据）"
          + (f"；{result.changes}" if result.changes else ""))
    for warning in result.warnings:
        print(f"提醒：{warning}")
    return 0


def check_paper(args, session) -> int:
    # Loaded here: reading scans needs pypdfium2, zxing-cpp and Pillow, which no other office command does.
    from qingqing_desktop.services import paper_check  # noqa: PLC0415

    report = paper_check.check_paper(session, args.source, progress=progress_printer())
    if args.json:
        print_json({
            "source": str(report.source),
            "pages": [{"page": c.page.number, "file": str(c.page.ref.path), "file_page": c.page.ref.index + 1,
                       "verdict": c.verdict.value, "text": c.text, "detail": c.detail,
                       "form": c.form.label if c.form else None, "revision": c.revision,
                       "unit": c.unit.name if c.unit else None, "campaign": c.campaign_title or None,
                       "key": c.key.value or None} for c in report.pages],
            "unreadable_files": [{"file": str(f.path), "reason": f.reason} for f in report.unreadable_files],
            "summary": report.summary(),
        })
        return 0
    print_table(["页", "单位", "表格", "版本", "核对结果", "密钥指纹", "说明"], [
        [str(c.page.number), c.unit_label, c.form.label if c.form else "", f"第{c.revision}版" if c.revision else "",
         c.text, c.key.value, c.detail.replace("\n", "；")] for c in report.pages
    ])
    for file in report.unreadable_files:
        print(f"无法读取的文件：{file.path.name}：{file.reason}")
    print(report.summary())
    return 0
