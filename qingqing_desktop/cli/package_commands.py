"""qingqing-cli package create|verify|import, campaign export|import, return import — the files on the USB stick

The unit: ``campaign import`` (the office's 任务包), ``package create`` (its 报送包),
``return import`` (a 退回文件). The office: ``campaign export``, ``package import``
(files or whole folders). ``package verify`` checks any of the three kinds.
``package import`` exits 2 when any file was refused; the others went in all the same.
"""

from __future__ import annotations

import sys
from pathlib import Path

from qingqing_desktop.cli.output import print_json
from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.services import campaign_adoption, office_service, package_service


def register(commands) -> None:
    create = commands.add_parser("create", help="单位：把已定稿的报送生成报送包（.qqpkg），并标记为已报送")
    create.add_argument("--out", type=Path, required=True, help="输出文件，或文件夹（按默认文件名保存）")
    create.set_defaults(handler=create_package)

    verify = commands.add_parser("verify", help="校验报送包、任务包或退回文件（有效返回0，无效返回2并说明原因）")
    verify.add_argument("file", type=Path, help="要校验的文件")
    verify.add_argument("--json", action="store_true", help="以 JSON 输出")
    verify.set_defaults(handler=verify_file)

    imp = commands.add_parser("import", help="纪委（监察室）：导入报送包（可给文件夹，如U盘，导入其中全部报送包）")
    imp.add_argument("sources", type=Path, nargs="+", metavar="FILE|DIR", help="报送包文件或文件夹")
    imp.add_argument("--json", action="store_true", help="以 JSON 输出")
    imp.set_defaults(handler=import_packages)


def register_campaign(commands) -> None:
    """campaign export|import: the exchange commands of the campaign group live here with the others."""
    export = commands.add_parser("export", help="纪委（监察室）：把当前行动导出为任务包（用纪委（监察室）密钥签名）")
    export.add_argument("--out", type=Path, required=True, help="输出文件，或文件夹（按默认文件名保存）")
    export.set_defaults(handler=export_campaign)
    receive = commands.add_parser(
        "import", help="单位：导入纪委（监察室）发来的任务包，并设为当前行动",
        description="导入纪委（监察室）发来的任务包。如果本机已自行新建了同一次行动（文号或名称相同），"
                    "须选择：--adopt 行动编号 采用该行动（已登记的承诺书、自查表和修改记录全部保留，"
                    "此后使用纪委的政策模板；已定稿的会重新打开为下一版，须重新定稿），"
                    "或 --new 另建一个新行动（需重新登记）。不加选项时只列出可采用的行动，不写入。",
    )
    receive.add_argument("file", type=Path, help="任务包文件（.qqtask）")
    choice = receive.add_mutually_exclusive_group()
    choice.add_argument("--adopt", metavar="行动编号",
                        help="采用本机新建的这个行动（编号见 campaign list），把已填报的内容归入纪委的行动")
    choice.add_argument("--new", action="store_true", help="不采用本机的行动，作为新的行动导入")
    receive.set_defaults(handler=import_campaign)


def register_return(commands) -> None:
    receive_return = commands.add_parser("import", help="单位：导入纪委（监察室）的退回文件，重新打开报送以便修改")
    receive_return.add_argument("file", type=Path, help="退回文件（.qqreturn）")
    receive_return.set_defaults(handler=import_return)


def create_package(args, session) -> int:
    result = package_service.create_package(session, args.out)
    counts = result.counts
    print(f"已生成报送包：{result.path}")
    print(f"第{result.revision}版，报送包序号 {result.sequence}，单位密钥指纹 {result.fingerprint}")
    print(f"承诺书应签{counts.pledges_required}人、已签{counts.signed_text()}；自查问题{counts.findings}条；"
          f"附带文书{len(result.documents)}个")
    print(f"报送状态：{result.status.label}")
    return 0


def verify_file(args, session) -> int:
    found = package_service.verify_file(session, args.file)
    if args.json:
        print_json({"valid": True, "kind": found.kind, "kind_label": found.kind_label, "package_id": found.package_id,
                    "created_at": found.created_at, "fingerprint": found.fingerprint, "unit": found.unit,
                    "campaign": found.campaign, "revision": found.revision, "details": list(found.details)})
        return 0
    print(f"有效的{found.kind_label}：{args.file.name}")
    if found.unit:
        print(f"单位：{found.unit}")
    print(f"行动：{found.campaign}")
    if found.revision is not None:
        print(f"版次：第{found.revision}版")
    print(f"签名密钥指纹：{found.fingerprint}")
    print(f"生成时间：{found.created_at}")
    for line in found.details:
        print(line)
    return 0


def import_packages(args, session) -> int:
    report = office_service.import_packages(session, args.sources)
    if args.json:
        print_json({
            "summary": report.summary(),
            "backup": str(report.backup_path) if report.backup_path else None,
            "results": [{"file": r.file_name, "ok": r.ok, "verdict": r.verdict.value if r.verdict else None,
                         "unit": r.unit, "revision": r.revision, "changes": r.changes, "warnings": list(r.warnings),
                         "error": r.error}
                        for r in report.results],
            "skipped": [{"file": f.name, "message": office_service.not_a_package_text(f)} for f in report.skipped],
        })
    else:
        for result in report.results:
            if result.ok:
                print(f"✓ {result.file_name}：{result.message}")
            else:  # the reason names the file already
                print(f"✗ {result.message}", file=sys.stderr)
        for skipped in report.skipped:  # a stamped PDF or an Excel 汇总表 on the same stick: where it goes
            print(f"－ {office_service.not_a_package_text(skipped)}")
        print(report.summary())
    return 2 if report.failed else 0


def export_campaign(args, session) -> int:
    path, fingerprint = office_service.export_campaign_file(session, args.out)
    print(f"已导出任务包：{path}")
    print(f"纪委（监察室）密钥指纹：{fingerprint}（请告知各单位，导入时核对）")
    return 0


def import_campaign(args, session) -> int:
    if args.adopt is None and not args.new:
        preview = campaign_adoption.preview_campaign_file(session, args.file)
        matching = [c for c in preview.candidates if c.matched_by]
        if matching:
            lines = [f"本机已自行新建了与任务包{preview.office_campaign.quoted_title}相同的行动，请选择后重新运行："]
            for candidate in matching:
                c = candidate.campaign
                lines.append(f"  {c.id}  {c.title}（{candidate.matched_by}，{candidate.status.label}）"
                             f"{'，采用后重新打开为下一版' if candidate.reopens else ''}"
                             f"{f'，政策模板有 {len(candidate.template_differences)} 处不同' if candidate.template_differences else ''}")
            lines.append(f"采用（保留已登记的内容）：qingqing-cli campaign import {args.file} --adopt {matching[0].campaign.id}")
            lines.append(f"另建新行动（需重新登记）：qingqing-cli campaign import {args.file} --new")
            raise InputRejected("\n".join(lines), Location(file=Path(args.file).name))
    result = package_service.import_campaign_file(session, args.file, adopt=args.adopt)
    campaign = result.campaign
    if result.adopted is not None:
        print(f"已采用本机的行动{result.adopted.campaign.quoted_title}：已登记的承诺书、自查表和修改记录都已归入"
              f"纪委（监察室）的行动{campaign.quoted_title}（截止 {campaign.deadline.isoformat()}），已设为当前行动")
        for line in result.adopted.template_differences:
            print(f"  政策模板不同：{line}")
        if result.adopted.reopens:
            print("原已定稿的报送已重新打开为下一版，请核对后重新定稿")
    elif result.created:
        print(f"已导入任务包：{campaign.title}（截止 {campaign.deadline.isoformat()}），已设为当前行动")
    elif result.changed:
        print(f"任务包已更新：{campaign.title}，变化：{'、'.join(result.changed)}")
    else:
        print(f"任务包此前已导入：{campaign.title}，没有变化，已设为当前行动")
    note = "（首次导入，已登记此密钥）" if result.pinned_now else "（与已登记的一致）"
    print(f"发布：{result.office_name}，密钥指纹 {result.fingerprint}{note}")
    return 0


def import_return(args, session) -> int:
    result = package_service.import_return_file(session, args.file)
    print(result.message)
    print(f"退回意见（{result.notice.office_name}）：{result.notice.comment}")
    return 0
