"""qingqing-cli export pledges|blank-pledge|summary|selfcheck --out FILE, export all --out-dir DIR

附件1 (承诺书), 附件2 (汇总表) and 附件3 (自查表) of the current campaign's filing, as
PDF or Excel by the file's extension where the document has both.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

from qingqing_desktop.documents.fonts import FontsMissing
from qingqing_desktop.services import document_service
from qingqing_desktop.services.document_service import DOCUMENT_LABELS, FORMATS, DocumentKind

_HELP = {
    DocumentKind.PLEDGES: "附件1 承诺书：需签订的每人一份（按拼音排序）",
    DocumentKind.BLANK_PLEDGE: "附件1 空白承诺书：手工填写用",
    DocumentKind.SUMMARY: "附件2 承诺书签订情况汇总表",
    DocumentKind.SELFCHECK: "附件3 “三清单一承诺”自查表",
}


def register(commands) -> None:
    for kind in DocumentKind:
        formats = " 或 ".join(f".{f}" for f in FORMATS[kind])
        parser = commands.add_parser(kind.value, help=_HELP[kind])
        parser.add_argument("--out", required=True, type=Path, help=f"输出文件（{formats}，按扩展名决定格式）")
        parser.add_argument("--campaign", help="行动编号（默认：当前行动）")
        if kind is DocumentKind.PLEDGES:
            parser.add_argument("--outstanding", action="store_true", help="只打印尚未签订的人")
            parser.add_argument("--no-duplex", action="store_true",
                                help="单面打印：不在每份承诺书后插入空白背面")
        parser.set_defaults(handler=export_one, kind=kind)

    every = commands.add_parser("all", help="把全部附件导出到一个文件夹")
    every.add_argument("--out-dir", required=True, type=Path, help="输出文件夹（不存在时自动创建）")
    every.add_argument("--campaign", help="行动编号（默认：当前行动）")
    every.add_argument("--no-duplex", action="store_true", help="承诺书单面打印（不插入空白背面）")
    every.set_defaults(handler=export_every)


def _fonts_reported(handler):
    """No usable Chinese font is a problem of this computer, not of the input: say what to
    install (the message names the packages) and exit 1, without a traceback."""

    @functools.wraps(handler)
    def run(args, session) -> int:
        try:
            return handler(args, session)
        except FontsMissing as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 1

    return run


def _tell_font_notes() -> None:
    """Once per command: which face stood in for 仿宋 / 小标宋, and how to install the right one."""
    for note in document_service.font_notes():
        print(f"注意（字体）：{note}", file=sys.stderr)


def _tell_font_preparation(_percent: int, text: str) -> None:
    """The first PDF on a machine whose set-up made no font copies waits a minute: say why."""
    print(text, file=sys.stderr, flush=True)


@_fonts_reported
def export_one(args, session) -> int:
    if document_service.output_format(args.kind, args.out) == "pdf":
        document_service.prepare_fonts(_tell_font_preparation)
    path = document_service.export_document(
        session, args.kind, args.out, campaign_id=args.campaign,
        duplex=not getattr(args, "no_duplex", False), outstanding_only=getattr(args, "outstanding", False),
    )
    print(f"已导出{DOCUMENT_LABELS[args.kind]}：{path}")
    if path.suffix.lower() == ".pdf":
        _tell_font_notes()
    return 0


@_fonts_reported
def export_every(args, session) -> int:
    document_service.prepare_fonts(_tell_font_preparation)
    paths = document_service.export_all(session, args.out_dir, campaign_id=args.campaign,
                                        duplex=not args.no_duplex)
    print(f"已导出 {len(paths)} 个文件到 {args.out_dir}：")
    for path in paths:
        print(f"  {path.name}")
    _tell_font_notes()
    return 0
