"""Choosing files and folders: the standard dialogs, starting in the folder used last for that kind
of work, and a saved file always getting its extension (a clerk often types only the name)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from qingqing_desktop.ui.common.settings import LAST_ANY_DIR, Setting, Settings

PACKAGE_FILTER = "报送包 (*.qqpkg)"
TASK_FILTER = "任务包 (*.qqtask)"
RETURN_FILTER = "退回文件 (*.qqreturn)"
EXCHANGE_FILTER = "报送包、任务包、退回文件 (*.qqpkg *.qqtask *.qqreturn)"
XLSX_FILTER = "Excel 工作簿 (*.xlsx)"
PDF_FILTER = "PDF 文件 (*.pdf)"
SCAN_FILE_FILTER = "扫描件 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)"  # a scanned batch: one PDF or images
SCAN_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff")
ALL_FILES = "所有文件 (*)"


def _start(settings: Settings, folder_setting: Setting, file_name: str = "") -> str:
    # The first time for a kind of work: the folder last used for any (the clerk's files are
    # usually together, on the desktop or a USB stick), not the home folder.
    folder = Path(settings.get(folder_setting) or settings.get(LAST_ANY_DIR) or Path.home())
    return str(folder / file_name) if file_name else str(folder)


def _remember(settings: Settings, folder_setting: Setting, folder: str | Path) -> None:
    settings.set(folder_setting, str(folder))
    settings.set(LAST_ANY_DIR, str(folder))


def ask_open_file(parent: QWidget, settings: Settings, folder_setting: Setting, caption: str,
                  file_filter: str) -> Path | None:
    chosen, _ = QFileDialog.getOpenFileName(parent, caption, _start(settings, folder_setting),
                                            f"{file_filter};;{ALL_FILES}")
    if not chosen:
        return None
    _remember(settings, folder_setting, Path(chosen).parent)
    return Path(chosen)


def ask_open_files(parent: QWidget, settings: Settings, folder_setting: Setting, caption: str,
                   file_filter: str) -> list[Path]:
    chosen, _ = QFileDialog.getOpenFileNames(parent, caption, _start(settings, folder_setting),
                                             f"{file_filter};;{ALL_FILES}")
    if chosen:
        _remember(settings, folder_setting, Path(chosen[0]).parent)
    return [Path(name) for name in chosen]


def ask_folder(parent: QWidget, settings: Settings, folder_setting: Setting, caption: str) -> Path | None:
    chosen = QFileDialog.getExistingDirectory(parent, caption, _start(settings, folder_setting))
    if not chosen:
        return None
    _remember(settings, folder_setting, chosen)
    return Path(chosen)


def ask_save_file(parent: QWidget, settings: Settings, folder_setting: Setting, caption: str, file_name: str,
                  file_filter: str) -> Path | None:
    """A save path with ``file_name`` suggested; the filter's extension is added when the name has none."""
    chosen, _ = QFileDialog.getSaveFileName(parent, caption, _start(settings, folder_setting, file_name), file_filter)
    if not chosen:
        return None
    path = Path(chosen)
    suffix = Path(file_name).suffix
    if suffix and path.suffix.lower() != suffix.lower():
        path = path.with_name(path.name + suffix)
    _remember(settings, folder_setting, path.parent)
    return path
