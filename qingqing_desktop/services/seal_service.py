"""电子印章图像: the optional seal image printed in the seal area of 附件2 and 附件3.

The clerk scans or photographs the seal; the image is checked (PNG/JPEG by its
bytes, size and dimensions), has its white paper background made transparent
(unless asked not to) so the seal does not hide the text under it, and is stored
as PNG. The forms also draw it blended by multiplying (``documents.stamp.SealLine``),
so even a kept white background never covers text.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.services.session import Session
from qingqing_desktop.services.unit_service import require_unit
from qingqing_desktop.store import units
from qingqing_desktop.store.faults import os_reason

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from PIL import Image

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_SIDE_PX = 4000
MIN_SIDE_PX = 60
# A pixel counts as paper when every channel is at least this bright.
WHITE_THRESHOLD = 215

_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


def _check_image(data: bytes, file_name: str) -> Image.Image:
    from PIL import Image, UnidentifiedImageError  # noqa: PLC0415 — only when a seal is set: start-up stays light

    where = Location(file=file_name)
    if len(data) > MAX_FILE_BYTES:
        raise InputRejected(f"图片过大（{len(data) // 1024 // 1024} MB），请使用不超过 5 MB 的 PNG 或 JPEG 图片", where)
    if not any(data.startswith(magic) for magic in _MAGIC):
        raise InputRejected("不是 PNG 或 JPEG 图片，请选择印章的扫描件或照片（.png / .jpg）", where)
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Image.DecompressionBombError as exc:
        log.warning("seal image %s refused: %s", file_name, exc)
        raise InputRejected("图片的像素过多，无法作为印章图像使用，请把扫描分辨率调低（如 300 dpi）后重新扫描", where) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:  # what Pillow's decoders raise
        log.warning("seal image %s unreadable: %s", file_name, exc)  # Pillow's words, for whoever reads the log
        raise InputRejected("图片已损坏或不完整，无法读取。请用扫描仪或相机重新生成 PNG 或 JPEG 图片后再选择", where) from exc
    width, height = image.size
    if max(width, height) > MAX_SIDE_PX or min(width, height) < MIN_SIDE_PX:
        raise InputRejected(
            f"图片尺寸为 {width}×{height} 像素，应在 {MIN_SIDE_PX}～{MAX_SIDE_PX} 像素之间", where
        )
    return image


def whiten_to_transparent(image: Image.Image) -> Image.Image:
    """Make near-white paper transparent, keeping the seal's own colour."""
    from PIL import ImageChops  # noqa: PLC0415

    rgba = image.convert("RGBA")
    red, green, blue, alpha = rgba.split()
    darkest = ImageChops.darker(ImageChops.darker(red, green), blue)
    paper = darkest.point(lambda value: 255 if value >= WHITE_THRESHOLD else 0)
    rgba.putalpha(ImageChops.subtract(alpha, paper))
    return rgba


def prepare_seal_image(data: bytes, file_name: str, *, transparent_white: bool = True) -> bytes:
    """Checked PNG bytes ready to store; raises InputRejected for a bad file."""
    image = _check_image(data, file_name)
    if transparent_white:
        image = whiten_to_transparent(image)
    elif image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image = image.convert("RGBA")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def set_seal_image(session: Session, path: Path, *, transparent_white: bool = True) -> bytes:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputRejected(f"无法读取文件：{os_reason(exc)}", Location(file=str(path))) from exc
    png = prepare_seal_image(data, path.name, transparent_white=transparent_white)
    unit = require_unit(session)
    with session.store.transaction():
        units.set_seal_image(session.store, unit.id, png, path.name, operator=session.operator)
    return png


def clear_seal_image(session: Session) -> None:
    unit = require_unit(session)
    with session.store.transaction():
        units.set_seal_image(session.store, unit.id, None, "", operator=session.operator)


def seal_image(session: Session) -> bytes | None:
    unit = require_unit(session)
    found = units.seal_image(session.store, unit.id)
    return found[0] if found else None


def seal_info(session: Session) -> tuple[bytes, str] | None:
    """The seal image (PNG bytes) and the name of the file it came from, if one is set."""
    return units.seal_image(session.store, require_unit(session).id)


def restore_seal_image(session: Session, image: bytes | None, file_name: str = "") -> None:
    """Put back a seal image as ``seal_info`` returned it (or none): the GUI's undo."""
    if image is None:
        clear_seal_image(session)
        return
    _check_image(image, file_name)
    unit = require_unit(session)
    with session.store.transaction():
        units.set_seal_image(session.store, unit.id, image, file_name, operator=session.operator)
