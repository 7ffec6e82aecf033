"""qingqing-cli unit show|set"""

from __future__ import annotations

import argparse
from pathlib import Path

from qingqing_desktop.cli.output import print_json
from qingqing_desktop.domain.unit import UNIT_FIELD_LABELS, UnitKind
from qingqing_desktop.services import seal_service, unit_service


def register(commands) -> None:
    show = commands.add_parser("show", help="显示单位信息")
    show.add_argument("--json", action="store_true", help="以 JSON 输出")
    show.set_defaults(handler=show_unit)
    kinds = "/".join(k.value for k in UnitKind)
    put = commands.add_parser("set", help="设置单位信息")
    put.add_argument("--name", required=True, help="单位名称")
    put.add_argument("--kind", required=True, help=f"单位类型：{kinds}")
    put.add_argument("--leader", required=True, help="单位负责人")
    put.add_argument("--contact", default="", help="联系人")
    put.add_argument("--phone", default="", help="联系电话")
    put.set_defaults(handler=set_unit, creates_database=True)
    seal = commands.add_parser("seal", help="电子印章图像（印在附件2、附件3的盖章处）").add_subparsers(
        dest="seal_command", required=True, metavar="操作"
    )
    seal_set = seal.add_parser("set", help="设置印章图像（PNG/JPEG）")
    seal_set.add_argument("file", type=Path, help="印章的扫描件或照片")
    # The white paper of a scan is made transparent by default, so the seal never hides text.
    seal_set.add_argument("--keep-white", dest="transparent_white", action="store_false",
                          help="保留图片原有的白色背景（默认把白色纸张背景变为透明）")
    seal_set.add_argument("--transparent-white", dest="transparent_white", action="store_true",
                          help=argparse.SUPPRESS)  # the default since the white background became transparent
    seal_set.set_defaults(handler=set_seal)
    seal.add_parser("clear", help="删除印章图像（打印后盖实物印章）").set_defaults(handler=clear_seal)


def _unit_dict(unit) -> dict:
    return {"id": unit.id, "name": unit.name, "kind": unit.kind.value, "leader": unit.leader,
            "contact": unit.contact, "phone": unit.phone}


def show_unit(args, session) -> int:
    unit = unit_service.require_unit(session)
    if args.json:
        print_json(_unit_dict(unit))
    else:
        for key, value in _unit_dict(unit).items():
            if key != "id":
                print(f"{UNIT_FIELD_LABELS[key]}：{value}")
    return 0


def set_unit(args, session) -> int:
    kind = unit_service.kind_from_text(args.kind)
    unit = unit_service.save_unit(session, name=args.name, kind=kind, leader=args.leader, contact=args.contact, phone=args.phone)
    print(f"已保存单位信息：{unit.name}（{unit.kind.value}），负责人 {unit.leader}")
    return 0


def set_seal(args, session) -> int:
    png = seal_service.set_seal_image(session, args.file, transparent_white=args.transparent_white)
    print(f"已设置电子印章图像（{len(png) // 1024} KB），附件2、附件3 将在盖章处印出此图像。")
    return 0


def clear_seal(args, session) -> int:
    seal_service.clear_seal_image(session)
    print("已删除电子印章图像；打印件的盖章处留空，请加盖实物印章。")
    return 0
