"""Reading a batch of scanned pages and the paper codes printed on them (DESIGN.md, Paper loop).

A batch is what an office copier gives back: one multi-page PDF, or a folder of
JPEG/PNG/TIFF files (a multi-page TIFF too). Every page is read in turn — a PDF page
rendered with pypdfium2 (no Qt here: the same code runs in the CLI and the tests),
an image with Pillow — and its QR code decoded with zxing-cpp.

Finding the code is meant to be robust but not slow: zxing-cpp on the whole page
first (it finds codes turned by any angle, a little skewed); when that fails, the
four corners of the page — the code is printed in a corner, and a page may come in
any way round — at a higher resolution, first as they are, then cleaned of noise
and binarised at Otsu's threshold. A page with no ink is reported as blank (the
empty back of a one-page letter printed double-sided), not as a page whose code
could not be read.

Nothing here writes: ``read_batch`` returns what each page holds, ``pages_pdf`` puts
some pages together again (the original PDF pages where there are some, turned
upright) as one small PDF to keep as a person's scan.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import zxingcpp
from PIL import Image, ImageFilter, ImageOps, ImageSequence

from qingqing_desktop.domain import paper_code
from qingqing_desktop.domain.errors import InputRejected, Location, QingqingError
from qingqing_desktop.domain.paper_code import PaperCode, PaperCodeError
from qingqing_desktop.domain.pledge import MAX_SCAN_BYTES
from qingqing_desktop.store.faults import os_reason

__all__ = [
    "SCAN_SUFFIXES",
    "PageRef",
    "ScannedPage",
    "UnreadableFile",
    "ScanBatch",
    "ScanReadingCancelled",
    "find_scan_files",
    "read_batch",
    "read_page_code",
    "pages_pdf",
]

PDF_SUFFIXES = (".pdf",)
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff")
SCAN_SUFFIXES = PDF_SUFFIXES + IMAGE_SUFFIXES
MAX_BATCH_FILES = 2000
MAX_BATCH_PAGES = 2000
MAX_FILE_BYTES = 1024 * 1024 * 1024  # a 1 GB scan is a mistake, not a batch

READ_DPI = 150  # a PDF page is first read at this resolution: 3 pixels a module
CORNER_DPI = 300  # the corners, when the whole page gave no code
CORNER_SHARE = 0.32  # a corner: this share of the page's width and height (the code sits 10–28 mm in)
BLANK_INK_SHARE = 0.001  # less ink than this (a tenth of a percent of the page): an empty page
PREVIEW_HEIGHT = 900  # pixels: enough to read a name on the page
PREVIEW_QUALITY = 70
STORED_DPI = 150  # an image page kept in a person's scan is stored at (at most) this resolution

Progress = Callable[[int, str], None]
Cancelled = Callable[[], bool]


class ScanReadingCancelled(QingqingError):
    """The user pressed 取消 while the pages were read; nothing was written."""

    def __init__(self):
        super().__init__("已取消读取扫描件，没有登记任何内容。")


# --------------------------------------------------------------------------- what a batch holds


@dataclass(frozen=True)
class PageRef:
    """Where a page comes from: ``index`` is its page in ``path`` (0 for a one-page image)."""

    path: Path
    index: int
    pages_in_file: int

    @property
    def is_pdf(self) -> bool:
        return self.path.suffix.lower() in PDF_SUFFIXES

    @property
    def label(self) -> str:
        """“扫描.pdf 第3页”, or just “IMG_0001.jpg” for a one-page image."""
        return self.path.name if self.pages_in_file == 1 and not self.is_pdf else f"{self.path.name} 第{self.index + 1}页"


@dataclass(frozen=True)
class ScannedPage:
    """One page of a batch and what was read on it.

    ``number``: its place in the batch (1, 2, …), the way the clerk counts the stack.
    ``code``: the paper code, or None; ``problem`` then says why in Chinese (空白页, 未找到
    二维码, or why a QR code found is not one of ours). ``rotation``: clockwise degrees
    (0/90/180/270) that turn the page upright, known from the code. ``preview``: a small
    JPEG of the page (upright when known) for the clerk to look at.
    """

    number: int
    ref: PageRef
    code: PaperCode | None
    problem: str = ""
    blank: bool = False
    rotation: int = 0
    preview: bytes = field(default=b"", repr=False)

    @property
    def label(self) -> str:
        return f"第{self.number}页（{self.ref.label}）"


@dataclass(frozen=True)
class UnreadableFile:
    path: Path
    reason: str


@dataclass(frozen=True)
class ScanBatch:
    """Every page of the files read, in order; files that could not be read at all; the scan date."""

    source: Path
    files: tuple[Path, ...]
    pages: tuple[ScannedPage, ...]
    unreadable: tuple[UnreadableFile, ...] = ()
    scanned_on: dt.date | None = None


# --------------------------------------------------------------------------- the files of a batch


def _natural_key(path: Path) -> list:
    """扫描2.jpg before 扫描10.jpg, as a file manager sorts them."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", path.name)]


def find_scan_files(path: Path | str) -> list[Path]:
    """The scan files of ``path``: the file itself, or a folder's PDF/JPEG/PNG/TIFF files (not its
    sub-folders) in natural name order. Refused, in Chinese, when there is nothing to read."""
    path = Path(path)
    where = Location(file=str(path))
    if not path.exists():
        raise InputRejected("找不到这个文件或文件夹。", where)
    if path.is_file():
        if path.suffix.lower() not in SCAN_SUFFIXES:
            raise InputRejected("只能读取 PDF、JPEG、PNG 或 TIFF 格式的扫描件。", where)
        return [path]
    try:
        files = [p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SCAN_SUFFIXES
                 and not p.name.startswith((".", "~$"))]
    except OSError as exc:
        raise InputRejected(f"无法读取这个文件夹：{os_reason(exc)}", where) from None
    if not files:
        raise InputRejected("文件夹中没有 PDF、JPEG、PNG 或 TIFF 格式的扫描件。", where)
    if len(files) > MAX_BATCH_FILES:
        raise InputRejected(f"文件夹中的扫描件超过 {MAX_BATCH_FILES} 个，请分批读取。", where)
    return sorted(files, key=_natural_key)


# --------------------------------------------------------------------------- one page as an image


class _Page:
    """A page to read: its image at reading resolution, and its corners at a higher one."""

    def __init__(self, image: Image.Image, dpi: float, corner: Callable[[int], Image.Image]):
        self.image = image
        self.dpi = dpi
        self._corner = corner

    def corner(self, which: int) -> Image.Image:
        return self._corner(which)


def _corner_box(width: float, height: float, which: int) -> tuple[float, float, float, float]:
    """left, top, right, bottom of corner ``which`` (0 top left, 1 top right, 2 bottom right, 3 bottom left)."""
    w, h = width * CORNER_SHARE, height * CORNER_SHARE
    left = 0 if which in (0, 3) else width - w
    top = 0 if which in (0, 1) else height - h
    return left, top, left + w, top + h


def _image_page(image: Image.Image) -> _Page:
    grey = image.convert("L") if image.mode != "L" else image
    dpi = _image_dpi(image)

    def corner(which: int) -> Image.Image:
        box = tuple(round(v) for v in _corner_box(grey.width, grey.height, which))
        part = grey.crop(box)
        if dpi < CORNER_DPI * 0.9:  # small modules: give the decoder more pixels to work with
            scale = CORNER_DPI / dpi
            part = part.resize((round(part.width * scale), round(part.height * scale)), Image.Resampling.BICUBIC)
        return part

    return _Page(grey, dpi, corner)


def _pdf_page(page) -> _Page:
    width, height = page.get_size()  # points, as shown (the page's own rotation applied)
    image = page.render(scale=READ_DPI / 72, grayscale=True, may_draw_forms=False).to_pil().convert("L")

    def corner(which: int) -> Image.Image:
        left, top, right, bottom = _corner_box(width, height, which)
        # crop: what to cut away from the left, bottom, right and top, in points
        crop = (left, height - bottom, width - right, top)
        return page.render(scale=CORNER_DPI / 72, grayscale=True, crop=crop, may_draw_forms=False).to_pil().convert("L")

    return _Page(image, READ_DPI, corner)


def _image_dpi(image: Image.Image) -> float:
    """The image's resolution: as recorded, or guessed from an A4 page's size when absent or absurd."""
    recorded = image.info.get("dpi")
    if recorded:
        try:
            value = float(recorded[0])
        except (TypeError, ValueError, IndexError):
            value = 0.0
        if 72 <= value <= 1200:
            return value
    return max(image.width, image.height) / (297 / 25.4)


# --------------------------------------------------------------------------- finding the code


@dataclass(frozen=True)
class _Found:
    text: str
    orientation: int


def _decode(image: Image.Image, binarizer=None) -> list[_Found]:
    options = {"formats": zxingcpp.BarcodeFormat.QRCode}
    if binarizer is not None:
        options["binarizer"] = binarizer
    return [_Found(r.text, r.orientation) for r in zxingcpp.read_barcodes(image, **options)]


def _otsu_threshold(image: Image.Image) -> int:
    histogram = image.histogram()
    total = sum(histogram)
    weighted_total = sum(i * n for i, n in enumerate(histogram))
    best, best_variance = 128, -1.0
    background = weighted_background = 0
    for level, count in enumerate(histogram):
        background += count
        if background == 0:
            continue
        foreground = total - background
        if foreground == 0:
            break
        weighted_background += level * count
        mean_b = weighted_background / background
        mean_f = (weighted_total - weighted_background) / foreground
        variance = background * foreground * (mean_b - mean_f) ** 2
        if variance > best_variance:
            best, best_variance = level, variance
    return best


def _cleaned(image: Image.Image) -> Image.Image:
    """Noise taken out (median), then black and white at Otsu's threshold."""
    smooth = image.filter(ImageFilter.MedianFilter(3))
    threshold = _otsu_threshold(smooth)
    return smooth.point(lambda v: 255 if v > threshold else 0)


def _attempts(page: _Page) -> Iterator[Callable[[], list[_Found]]]:
    """Ways to look for the code, cheapest first."""
    yield lambda: _decode(page.image)
    for which in (2, 0, 1, 3):  # bottom right (upright), top left (upside down), then sideways
        yield lambda which=which: _decode(page.corner(which))
    for which in (2, 0, 1, 3):
        yield lambda which=which: _decode(_cleaned(page.corner(which)), zxingcpp.Binarizer.FixedThreshold)


def _is_blank(image: Image.Image) -> bool:
    """Hardly any ink: judged on a small copy (noise averages out) without the page's edges
    (a scanner's shadow along the border is not ink)."""
    small = image.reduce(max(1, round(min(image.size) / 300)))
    w, h = small.size
    inner = small.crop((round(w * 0.04), round(h * 0.04), round(w * 0.96), round(h * 0.96)))
    histogram = inner.histogram()
    total = sum(histogram)
    count, paper = 0, 255
    for level, n in enumerate(histogram):  # the paper: the median grey
        count += n
        if count >= total / 2:
            paper = level
            break
    ink = sum(histogram[: max(0, paper - 60)])
    return ink / max(total, 1) < BLANK_INK_SHARE


def _upright_rotation(orientation: int) -> int:
    """Clockwise degrees (0/90/180/270) that turn a page whose code is at ``orientation`` upright."""
    return (-round(orientation / 90) * 90) % 360


def read_page_code(page: _Page) -> tuple[PaperCode | None, str, int]:
    """The paper code on ``page``, or why there is none; and the rotation that makes it upright."""
    if _is_blank(page.image):  # checked first: an empty back page costs no decoding
        return None, "空白页", 0
    foreign = None
    for attempt in _attempts(page):
        found = attempt()
        for item in found:
            try:
                return paper_code.decode(item.text), "", _upright_rotation(item.orientation)
            except PaperCodeError as exc:  # someone else's code, or damaged: ours may still be in a corner
                foreign = foreign or (str(exc), _upright_rotation(item.orientation))
    if foreign:
        return None, foreign[0], foreign[1]
    return None, "未找到二维码（可能被遮挡、污损，或不是本程序打印的页面）", 0


def _preview(image: Image.Image, rotation: int) -> bytes:
    small = image.reduce(max(1, max(image.size) // PREVIEW_HEIGHT))  # cheap first step, then a fine one
    small.thumbnail((PREVIEW_HEIGHT, PREVIEW_HEIGHT))
    if rotation:
        small = small.rotate(-rotation, expand=True)
    out = io.BytesIO()
    small.save(out, "JPEG", quality=PREVIEW_QUALITY)
    return out.getvalue()


# --------------------------------------------------------------------------- reading a batch


def _file_error(path: Path, exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return f"无法读取：{os_reason(exc)}"
    return "无法读取：文件已损坏，或不是 PDF、JPEG、PNG、TIFF 文件"


def _open_pdf(path: Path):
    return pdfium.PdfDocument(str(path))


def _pdf_date(doc) -> dt.date | None:
    """The PDF's creation date (``D:20190308…``), as the copier recorded it."""
    try:
        meta = doc.get_metadata_dict()
    except Exception:  # noqa: BLE001 - metadata is a nicety; a scan without it is fine
        return None
    return _date_in(r"D:(\d{4})(\d{2})(\d{2})", meta.get("CreationDate", "") or meta.get("ModDate", ""))


def _date_in(pattern: str, text: str) -> dt.date | None:
    """The date whose year, month and day ``pattern``'s three groups find at the start of ``text``."""
    match = re.match(pattern, text)
    if not match:
        return None
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        return None


def _image_date(image: Image.Image) -> dt.date | None:
    """When the photo or scan was taken (EXIF DateTimeOriginal, else DateTime)."""
    try:
        exif = image.getexif()
        stamp = exif.get_ifd(0x8769).get(36867) or exif.get(306)
    except Exception:  # noqa: BLE001 - EXIF is a nicety
        return None
    return _date_in(r"(\d{4}):(\d{2}):(\d{2})", str(stamp or ""))


def _file_date(path: Path) -> dt.date | None:
    try:
        return dt.date.fromtimestamp(path.stat().st_mtime)
    except (OSError, ValueError, OverflowError):
        return None


@dataclass
class _FileReader:
    """Counts a file's pages (cheaply, before reading) and yields them as ``_Page`` objects."""

    path: Path
    count: int = 0
    date: dt.date | None = None

    def open(self) -> None:
        size = self.path.stat().st_size
        if size == 0:
            raise ValueError("empty")
        if size > MAX_FILE_BYTES:
            raise ValueError("too large")
        if self.path.suffix.lower() in PDF_SUFFIXES:
            doc = _open_pdf(self.path)
            try:
                self.count, self.date = len(doc), _pdf_date(doc)
            finally:
                doc.close()
        else:
            with Image.open(self.path) as image:
                self.count, self.date = getattr(image, "n_frames", 1), _image_date(image)
        self.date = self.date or _file_date(self.path)

    def pages(self) -> Iterator[_Page]:
        if self.path.suffix.lower() in PDF_SUFFIXES:
            doc = _open_pdf(self.path)
            try:
                for index in range(len(doc)):
                    page = doc[index]
                    try:
                        yield _pdf_page(page)
                    finally:
                        page.close()
            finally:
                doc.close()
        else:
            with Image.open(self.path) as image:
                for frame in ImageSequence.Iterator(image):
                    upright = ImageOps.exif_transpose(frame)  # a phone photo stored sideways
                    upright.info.setdefault("dpi", frame.info.get("dpi"))
                    yield _image_page(upright)


def read_batch(source: Path | str, *, progress: Progress | None = None,
               cancelled: Cancelled | None = None) -> ScanBatch:
    """Read every page of a scan file or folder, in order (see the module's doc).

    ``progress(percent, text)`` is called before each page; ``cancelled()`` is asked as
    often, and a True answer raises ``ScanReadingCancelled``. A file that cannot be read
    at all is listed in ``unreadable`` and the others are still read.
    """
    source = Path(source)
    files = find_scan_files(source)

    def step(percent: int, text: str) -> None:
        if cancelled is not None and cancelled():
            raise ScanReadingCancelled()
        if progress is not None:
            progress(percent, text)

    readers, unreadable = [], []
    for path in files:
        step(0, f"正在清点页数：{path.name}")
        reader = _FileReader(path)
        try:
            reader.open()
        except Exception as exc:  # noqa: BLE001 - any unreadable file: say so, read the others
            unreadable.append(UnreadableFile(path, _file_error(path, exc)))
            continue
        readers.append(reader)
    total = sum(r.count for r in readers)
    if total > MAX_BATCH_PAGES:
        raise InputRejected(f"一次最多读取 {MAX_BATCH_PAGES} 页，这批扫描件有 {total} 页，请分批读取。",
                            Location(file=str(source)))
    pages: list[ScannedPage] = []
    for reader in readers:
        index = 0
        try:
            for index, page in enumerate(reader.pages()):
                number = len(pages) + 1
                step(min(99, 100 * (number - 1) // max(total, 1)), f"正在读取第 {number} / {total} 页（{reader.path.name}）…")
                code, problem, rotation = read_page_code(page)
                pages.append(ScannedPage(number, PageRef(reader.path, index, reader.count), code, problem,
                                         blank=problem == "空白页", rotation=rotation,
                                         preview=_preview(page.image, rotation)))
        except ScanReadingCancelled:
            raise
        except Exception as exc:  # noqa: BLE001 - a file damaged half-way: keep its good pages
            unreadable.append(UnreadableFile(reader.path, f"第{index + 1}页起{_file_error(reader.path, exc)}"))
    if progress is not None:
        progress(100, f"已读取 {len(pages)} 页")
    dates = [r.date for r in readers if r.date]
    return ScanBatch(source, tuple(files), tuple(pages), tuple(unreadable), max(dates) if dates else None)


# --------------------------------------------------------------------------- keeping pages


def _image_frame(ref: PageRef) -> Image.Image:
    with Image.open(ref.path) as image:
        image.seek(ref.index)
        frame = ImageOps.exif_transpose(image)
        frame.info.setdefault("dpi", image.info.get("dpi"))
        frame.load()
        return frame


def _image_as_pdf(image: Image.Image, rotation: int, max_dpi: float = STORED_DPI) -> bytes:
    """One upright greyscale page, JPEG inside a PDF, at most ``max_dpi``."""
    dpi = _image_dpi(image)
    grey = image.convert("L")
    if dpi > max_dpi:
        scale = max_dpi / dpi
        grey = grey.resize((round(grey.width * scale), round(grey.height * scale)), Image.Resampling.LANCZOS)
        dpi = max_dpi
    if rotation:
        grey = grey.rotate(-rotation, expand=True)
    out = io.BytesIO()
    grey.save(out, "PDF", resolution=dpi, quality=75)
    return out.getvalue()


def _assemble(pages: Sequence[ScannedPage], *, rerender: bool) -> bytes:
    target = pdfium.PdfDocument.new()
    sources: dict[Path, pdfium.PdfDocument] = {}
    helpers = []
    try:
        for page in pages:
            ref = page.ref
            if ref.is_pdf and not rerender:
                source = sources.get(ref.path) or sources.setdefault(ref.path, _open_pdf(ref.path))
                target.import_pages(source, [ref.index])
                added = target[len(target) - 1]
                added.set_rotation((added.get_rotation() + page.rotation) % 360)
                continue
            if ref.is_pdf:
                source = sources.get(ref.path) or sources.setdefault(ref.path, _open_pdf(ref.path))
                image = source[ref.index].render(scale=STORED_DPI / 72, grayscale=True).to_pil()
                image.info["dpi"] = (STORED_DPI, STORED_DPI)
            else:
                image = _image_frame(ref)
            helper = pdfium.PdfDocument(_image_as_pdf(image, page.rotation, STORED_DPI if not rerender else 110))
            helpers.append(helper)
            target.import_pages(helper, [0])
        out = io.BytesIO()
        target.save(out)
        return out.getvalue()
    finally:
        target.close()
        for doc in [*helpers, *sources.values()]:
            doc.close()


def pages_pdf(pages: Sequence[ScannedPage]) -> bytes:
    """``pages`` as one PDF, each turned upright: a PDF page is copied as it is (its image
    untouched), an image page becomes a JPEG page of at most 150 dpi. Should that exceed
    the 10 MB a scan may have (a colour scan at 600 dpi), the pages are drawn again smaller."""
    if not pages:
        raise ValueError("no pages")
    data = _assemble(pages, rerender=False)
    if len(data) > MAX_SCAN_BYTES:
        data = _assemble(pages, rerender=True)
    return data

