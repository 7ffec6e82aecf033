"""Start the GUI: ``qingqing [--db PATH]`` (or the ``QINGQING_DB`` environment variable)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QThreadPool, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from qingqing_desktop import APP_ID, APP_NAME, ORG_NAME, __version__
from qingqing_desktop.arguments import ChineseArgumentParser
from qingqing_desktop.domain.errors import DatabaseDamaged, DatabaseRefused
from qingqing_desktop.install_paths import resources_dir
from qingqing_desktop.store import integrity, log_file
from qingqing_desktop.store.locations import default_db_path

# The window's modules (the services, the store, the pages) are imported by main() once it has
# started the database's quick_check, so that SQLite checks the file on another core while they
# load (integrity.check_ahead); the functions below import what they use from them.
if TYPE_CHECKING:
    from qingqing_desktop.services.session import Session
    from qingqing_desktop.ui.common.settings import Settings
    from qingqing_desktop.ui.common.workspace import Workspace
    from qingqing_desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)

# Chinese UI fonts, best first; the first one installed carries the BMP.
CJK_UI_FAMILIES = ("Microsoft YaHei UI", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC")
# Fonts with CJK Extension B and beyond, for names such as 李𡈽 that the UI font lacks.
RARE_CHARACTER_FAMILIES = ("SimSun-ExtB", "SimSun-ExtG", "AR PL UMing CN", "HanaMinA", "HanaMinB")
MIN_POINT_SIZE = 10.0


def parse_args(arguments: list[str]) -> argparse.Namespace:
    """Our options; Qt's own (single-dash, like ``-platform``) are left for QApplication."""
    parser = ChineseArgumentParser(prog="qingqing", description=f"{APP_NAME}：“三清单一承诺”行动离线填报",
                                   version=f"{APP_NAME} {__version__}")
    parser.add_argument("--db", type=Path, help="要打开的数据库文件（默认在用户数据文件夹中；也可用环境变量 QINGQING_DB 指定）")
    args, rest = parser.parse_known_args(arguments)
    unknown = [a for a in rest if a.startswith("--")]
    if unknown:
        parser.error(f"无法识别的参数：{' '.join(unknown)}")
    return args


def install_translations(app: QApplication) -> None:
    """Qt's own Chinese strings, so standard buttons and dialogs say 确定/取消/保存, then our supplement
    for the few that qtbase_zh_CN leaves in English (the file dialog's 查找范围 and 文件类型)."""
    QLocale.setDefault(QLocale("zh_CN"))
    # Translators installed later are asked first: the supplement only answers what it holds.
    for name, folder in (("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
                         ("qt_supplement_zh_CN", str(resources_dir() / "translations"))):
        translator = QTranslator(app)  # parented to the app, so it lives as long as the app
        if translator.load(name, folder):
            app.installTranslator(translator)
        else:
            log.warning("%s.qm not found in %s; some of Qt's own texts stay in English", name, folder)


def application_font(default: QFont) -> QFont:
    """The system font with Chinese UI fonts behind it, then fonts that have rare name characters.

    Qt's own fallback does not reliably reach an Extension B font, and a name
    drawn as a box is a wrong name on screen.
    """
    installed = set(QFontDatabase.families())
    preferred = [default.family(), *CJK_UI_FAMILIES, *RARE_CHARACTER_FAMILIES]
    if sys.platform.startswith("linux") and "WenQuanYi Micro Hei" in installed:
        preferred.insert(0, "WenQuanYi Micro Hei")  # the Linux default sans often has no Chinese at all
    families = list(dict.fromkeys(f for f in preferred if f in installed))
    font = QFont(default)
    if families:
        font.setFamilies(families)
    font.setPointSizeF(max(default.pointSizeF(), MIN_POINT_SIZE))
    return font


def setup_application(app: QApplication) -> None:
    from qingqing_desktop.ui.common.gui_thread_gc import GuiThreadGarbageCollector  # noqa: PLC0415
    from qingqing_desktop.ui.common.resources import icon, style_sheet  # noqa: PLC0415

    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(icon("app"))
    install_translations(app)
    # Fusion and a light scheme look the same on every office PC, whatever its Windows theme.
    app.setStyle("Fusion")
    app.styleHints().setColorScheme(Qt.ColorScheme.Light)
    app.setFont(application_font(app.font()))
    app.setStyleSheet(style_sheet())
    GuiThreadGarbageCollector(app)


def _log_to_file() -> None:
    log_file.start("qingqing")
    log_file.enable_crash_dumps()


def _report_unexpected(exc_type, exc, tb) -> None:
    """An exception escaping a slot would otherwise vanish (there is no console on Windows);
    ``messages`` turns a fault into its sentence and logs a bug's traceback."""
    from qingqing_desktop.ui.common import messages  # noqa: PLC0415

    if issubclass(exc_type, KeyboardInterrupt):
        QApplication.quit()
        return
    messages.show_error(QApplication.activeWindow(), exc.with_traceback(tb))


def _open_session(args, settings: Settings, on_lock_wait, checked_ahead=None) -> Session | None:
    """Open the database. A damaged one gets the backups dialog before any window reads from it;
    if the clerk would not restore, it opens read-only (``allow_damaged``) for a look. None when
    it cannot be opened at all and was not restored."""
    from qingqing_desktop.services.session import open_session  # noqa: PLC0415

    options = _session_options(settings, on_lock_wait)
    try:
        return open_session(args.db, checked_ahead=checked_ahead, **options)
    except DatabaseDamaged as exc:
        # Can it be opened for a look? If not (its file header is gone), the dialog says restore or quit
        # instead of promising a read-only window that never comes. Closed again: a restore replaces the file.
        try:
            open_session(args.db, allow_damaged=True, **options).close()
            viewable = True
        except DatabaseDamaged:
            viewable = False
        if not _offer_backups(args, settings, exc, must_restore=not viewable):
            return open_session(args.db, allow_damaged=True, **options) if viewable else None
        return open_session(args.db, **options)


def _session_options(settings: Settings, on_lock_wait) -> dict:
    from qingqing_desktop.store import lock_owners  # noqa: PLC0415
    from qingqing_desktop.ui.common.settings import OPERATOR_NAME  # noqa: PLC0415

    return {"operator": settings.get(OPERATOR_NAME) or None, "program": lock_owners.GUI_PROGRAM,
            "on_lock_wait": on_lock_wait}


def _offer_backups(args, settings: Settings, damage: DatabaseDamaged, *, must_restore: bool = False) -> bool:
    """The backups dialog, before any window (no session open); True when the clerk restored one."""
    from qingqing_desktop.ui.backup_dialog import BackupDialog  # noqa: PLC0415 — only for a damaged database

    dialog = BackupDialog(None, settings=settings, db_path=args.db or default_db_path(), damage=damage,
                          must_restore=must_restore)
    dialog.exec()
    restored = dialog.restored
    shiboken6.delete(dialog)  # parentless: not left for the end of the program (after Qt)
    return restored


def _main_window(session: Session, settings: Settings) -> MainWindow | None:
    """The main window, after the first-start dialog where needed; None when that was cancelled."""
    from qingqing_desktop.ui.common.workspace import Workspace  # noqa: PLC0415
    from qingqing_desktop.ui.main_window import MainWindow  # noqa: PLC0415

    workspace = Workspace(session, settings)
    # An office database has no unit of its own: it starts straight away.
    needs_setup = workspace.unit() is None and not workspace.is_office() and workspace.damage is None
    if needs_setup and _first_start(workspace) != QDialog.DialogCode.Accepted:
        QMessageBox.information(None, APP_NAME, "尚未填写单位信息，程序将退出。下次启动时可以接着填写。")
        return None
    before = QApplication.topLevelWidgets()
    try:
        return MainWindow(workspace)
    except BaseException:
        # What a window that failed half-way (damage met while filling a page) left behind — the page
        # being built has no parent yet, and its own signal connections keep it alive — is deleted now,
        # while Qt is alive; at exit, after Qt, it would crash the program.
        leftovers = [w for w in QApplication.topLevelWidgets() if w not in before and w.parent() is None]
        for widget in leftovers:
            if shiboken6.isValid(widget):  # deleting one may have deleted another
                shiboken6.delete(widget)
        shiboken6.delete(workspace)
        raise


def _first_start(workspace: Workspace) -> int:
    from qingqing_desktop.ui.first_start import FirstStartDialog  # noqa: PLC0415 — once per installation

    return FirstStartDialog(workspace).exec()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    args = parse_args(argv[1:])  # before Qt starts, so --help and --version need no display
    # SQLite checks the database on another core while the window's modules load; the open waits for it.
    checked_ahead = integrity.check_ahead(args.db or default_db_path())
    from qingqing_desktop.ui.main_window import MainWindow  # noqa: F401,PLC0415 — the pages' modules, meanwhile

    app = QApplication.instance() or QApplication(argv)
    from qingqing_desktop.ui.common import single_instance  # noqa: PLC0415

    db_path = args.db or default_db_path()
    if single_instance.ask_running_program(db_path):
        return 0  # started again (a second double-click): the open window came forward instead
    instance_server = single_instance.InstanceServer(db_path, app)
    try:
        return _run(app, args, checked_ahead)
    finally:
        instance_server.close()


def _run(app: QApplication, args: argparse.Namespace, checked_ahead) -> int:
    """main() once it is the only program on its database."""
    from qingqing_desktop.services.session import open_session  # noqa: PLC0415
    from qingqing_desktop.ui.common import messages  # noqa: PLC0415
    from qingqing_desktop.ui.common.lock_wait import LockWaitProgress  # noqa: PLC0415
    from qingqing_desktop.ui.common.settings import Settings  # noqa: PLC0415

    _log_to_file()
    sys.excepthook = _report_unexpected
    setup_application(app)
    settings = Settings()
    lock_wait = LockWaitProgress()
    try:
        session = _open_session(args, settings, lock_wait, checked_ahead)
        while session is not None:
            messages.watch(session)
            try:
                window = _main_window(session, settings)
                break
            except Exception as exc:  # noqa: BLE001 — e.g. damage inside a cell met while filling the pages
                text = messages.error_text(exc)
            damage = session.damage
            session.close()
            session = None
            if damage is None:
                QMessageBox.critical(None, "无法打开数据库", text)
                return 2
            if _offer_backups(args, settings, damage, must_restore=True):
                session = open_session(args.db, **_session_options(settings, lock_wait))
    except DatabaseRefused as exc:
        QMessageBox.critical(None, "无法打开数据库", str(exc))
        return 2
    except Exception as exc:  # noqa: BLE001 — a full disk, a locked or unreadable file: one sentence
        QMessageBox.critical(None, "无法打开数据库", messages.error_text(exc))
        return 2
    if session is None:
        return 2
    session_end = None
    try:
        if window is None:
            return 0
        window.show()
        from qingqing_desktop.ui.common.session_end import SessionEnd  # noqa: PLC0415

        # Shutdown, logoff or SIGTERM close the windows as the clerk would: questions, exit backup.
        session_end = SessionEnd(app, lambda: window.take_exit_backup(quiet=True))
        if window.ws.damage is None:
            QTimer.singleShot(0, window.check_in_background)
            QTimer.singleShot(0, window.ask_operator_once)
        return app.exec()
    finally:
        if session_end is not None:
            session_end.uninstall()
        QThreadPool.globalInstance().waitForDone()
        session.close()


if __name__ == "__main__":  # the PyInstaller build (build.spec) runs this file as its script
    sys.exit(main())
