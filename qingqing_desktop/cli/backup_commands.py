"""qingqing-cli backup create|list|restore|salvage"""

from __future__ import annotations

from pathlib import Path

from qingqing_desktop.cli.output import print_table
from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.services import backup_service
from qingqing_desktop.store.locations import default_db_path


def register(commands) -> None:
    commands.add_parser("create", help="立即备份数据库").set_defaults(handler=create)
    listing = commands.add_parser("list", help="列出备份（--check：逐个检查能否用来恢复）")
    listing.add_argument("--check", action="store_true", help="逐个检查备份（校验值、完整性、表结构），显示人数")
    listing.set_defaults(handler=list_all, opens_database=False)  # the backups are what is left when it is gone
    restore = commands.add_parser(
        "restore", help="从备份恢复（先检查备份；恢复前会先保存当前数据，数据库损坏时也可使用）"
    )
    restore.add_argument("file", type=Path, help="备份文件")
    restore.add_argument(
        "--outside-file", action="store_true",
        help="确认要恢复的是外部文件（没有本程序记录的校验值，如别的电脑拷来的副本）；仍做全部检查",
    )
    restore.set_defaults(handler=restore_one, accepts_damaged=True, creates_database=True)  # a lost file: put back
    commands.add_parser(
        "salvage", help="数据库损坏时：把还能读出的数据抢救到一份新的备份中（之后用 backup restore 恢复它）"
    ).set_defaults(handler=salvage_one, accepts_damaged=True)


def create(args, session) -> int:
    print(f"已备份到：{backup_service.create_backup(session)}")
    return 0


def list_all(args, session) -> int:
    rows = []
    for info in backup_service.list_backups():
        row = [info.taken_at.strftime("%Y-%m-%d %H:%M:%S"), info.reason_label, f"{info.size // 1024} KB"]
        if args.check:
            try:
                checked = backup_service.check_backup(info.path)
                row.append(f"可用，{checked.people} 人")
            except backup_service.UnrecordedBackup as exc:  # sound; only its record is missing or damaged
                what = "校验记录已损坏" if exc.damaged_record else "没有校验记录"
                row.append(f"文件完好（{what}），{exc.checked.people} 人，恢复时须加 --outside-file")
            except InputRejected as exc:
                row.append("不可用：" + exc.reason.split("，")[0])
        rows.append(row + [str(info.path)])
    headers = ["时间", "类型", "大小"] + (["检查"] if args.check else []) + ["文件"]
    print_table(headers, rows)
    return 0


def restore_one(args, session) -> int:
    if session is None:  # the database cannot even be opened: put the backup in place of the file
        result = backup_service.restore_file(args.db or default_db_path(), args.file, outside=args.outside_file)
    else:
        result = backup_service.restore_backup(session, args.file, outside=args.outside_file)
    print(f"已从备份恢复：{result.restored}（{result.people} 人）")
    if result.kept is not None:
        print(f"恢复前的数据已另存为：{result.kept}")
    return 0


def salvage_one(args, session) -> int:
    # the database cannot even be opened (session None): its file is still read for what it holds
    report = backup_service.salvage_damaged(session if session is not None else args.db or default_db_path())
    print(report.summary)
    print(f"抢救出的数据已保存为备份：{report.path}")
    from qingqing_desktop.cli import command_line  # noqa: PLC0415 — the package is loaded by now

    restore = command_line(args, f'backup restore "{report.path}"')
    print(f"确认后用它替换损坏的数据库（损坏的数据库会先另存一份）：{restore}")
    return 0
