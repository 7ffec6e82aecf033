"""qingqing-cli keys show — this installation's signing keys and the office key it registered"""

from __future__ import annotations

from qingqing_desktop.cli.output import print_json
from qingqing_desktop.services import key_service


def register(commands) -> None:
    show = commands.add_parser("show", help="显示本机签名密钥的指纹（首次使用时生成密钥）")
    show.add_argument("--json", action="store_true", help="以 JSON 输出")
    show.set_defaults(handler=show_keys)


def show_keys(args, session) -> int:
    keys = key_service.key_overview(session)
    if args.json:
        print_json([{"role": k.role, "fingerprint": k.fingerprint, "path": str(k.path) if k.path else None}
                    for k in keys])
        return 0
    for key in keys:
        where = f"（私钥：{key.path}）" if key.path else ""
        print(f"{key.role}指纹：{key.fingerprint}{where}")
    return 0
