"""qingqing-cli backup create|list|restore"""

from __future__ import annotations

from pathlib import Path

from qingqing_desktop.cli.output import print_table
from qingqing_desktop.services import backup_service


def register(commands) -> None:
    commands.add_parser("create", help="立即备份数据库").set_defaults(handler=create)
    commands.add_parser("list", help="列出备份").set_defaults(handler=list_all)
    restore = commands.add_parser("restore", help="从备份恢复（恢复前会先备份当前数据）")
    restore.add_argument("file", type=Path, help="备份文件")
    restore.set_defaults(handler=restore_one)


def create(args, session) -> int:
    print(f"已备份到：{backup_service.create_backup(session)}")
    return 0


def list_all(args, session) -> int:
    rows = [[b.taken_at.strftime("%Y-%m-%d %H:%M:%S"), b.reason_label, f"{b.size // 1024} KB", str(b.path)]
            for b in backup_service.list_backups()]
    print_table(["时间", "类型", "大小", "文件"], rows)
    return 0


def restore_one(args, session) -> int:
    safety = backup_service.restore_backup(session, args.file)
    print(f"已从备份恢复：{args.file}\n恢复前的数据已另存为：{safety}")
    return 0
