"""qingqing-cli template list|show|export|import — policy templates, shipped and office-made"""

from __future__ import annotations

from pathlib import Path

from qingqing_desktop.cli.output import print_json, print_table
from qingqing_desktop.services import template_service


def register(commands) -> None:
    listing = commands.add_parser("list", help="列出全部政策模板：程序自带的和本室制定的")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    listing.set_defaults(handler=list_templates)

    show = commands.add_parser("show", help="显示一个政策模板的全文（与导出的文件相同）")
    show.add_argument("id", help="模板编号（见 template list）")
    show.add_argument("--version", type=int, help="本室制定的模板：显示第几版（默认最新版）")
    show.add_argument("--json", action="store_true", help="以 JSON 输出（任务包中的形式）")
    show.set_defaults(handler=show_template)

    export = commands.add_parser("export", help="把政策模板导出为 .toml 文件（可交给其他单位导入）")
    export.add_argument("id", help="模板编号")
    export.add_argument("--out", type=Path, required=True, help="文件名或文件夹")
    export.add_argument("--version", type=int, help="本室制定的模板：导出第几版（默认最新版）")
    export.set_defaults(handler=export_template)

    imported = commands.add_parser("import", help="导入 .toml 政策模板文件（先完整检查，有问题则不写入）")
    imported.add_argument("file", type=Path, help="模板文件")
    imported.set_defaults(handler=import_template)


def _state(info: template_service.TemplateInfo) -> str:
    if not info.editable:
        return "只读"
    return "已发布" if info.published else "草稿"


def list_templates(args, session) -> int:
    infos = template_service.list_templates(session)
    if args.json:
        print_json([{"id": i.template.id, "name": i.template.name, "issuer": i.template.issuer,
                     "version": i.template.version, "origin": i.origin, "published": i.published,
                     "campaigns": i.campaigns} for i in infos])
        return 0
    rows = [[i.template.id, i.template.name, f"第{i.template.version}版", i.origin, _state(i), str(i.campaigns)]
            for i in infos]
    print_table(["编号", "名称", "版本", "来源", "状态", "行动数"], rows)
    return 0


def show_template(args, session) -> int:
    from qingqing_desktop.domain.campaign import template_snapshot
    from qingqing_desktop.exchange.template_file import template_toml

    template = template_service.get_template(session, args.id, args.version)
    if args.json:
        print_json(template_snapshot(template))
    else:
        print(template_toml(template), end="")
    return 0


def export_template(args, session) -> int:
    path = template_service.export_template(session, args.id, args.out, version=args.version)
    print(path)
    return 0


def import_template(args, session) -> int:
    print(template_service.import_template(session, args.file).message)
    return 0
