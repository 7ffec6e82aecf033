"""Simulated scans for the paper-loop tests and tools/bench_scans.py.

A printed page that comes back from an office copier: rendered at 150–300 dpi, turned
by 90/180/270°, a little skewed, blurred, with noise and JPEG artefacts. Built from the
app's own PDFs with pypdfium2 and Pillow, deterministic for a given seed.
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pypdfium2 as pdfium
import zxingcpp
from PIL import Image, ImageFilter


def render_pages(pdf: bytes, dpi: int = 150, pages: Iterable[int] | None = None) -> list[Image.Image]:
    """The pages of ``pdf`` as greyscale images at ``dpi``."""
    doc = pdfium.PdfDocument(pdf)
    try:
        indexes = range(len(doc)) if pages is None else pages
        return [doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in indexes]
    finally:
        doc.close()


@dataclass(frozen=True)
class Scan:
    """How a page comes out of the scanner."""

    angle: int = 0  # 0, 90, 180, 270: the sheet went in sideways or upside down
    skew: float = 0.0  # degrees: the sheet lay a little crooked
    blur: float = 0.6
    noise: float = 0.2  # share of uniform grey noise blended in
    jpeg_quality: int = 70


def scanned(page: Image.Image, how: Scan = Scan(), *, seed: int = 0) -> Image.Image:
    """``page`` as a copier would give it back (greyscale, JPEG-compressed)."""
    image = page.convert("L")
    if how.angle:
        image = image.rotate(how.angle, expand=True)
    if how.skew:
        image = image.rotate(how.skew, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    if how.blur:
        image = image.filter(ImageFilter.GaussianBlur(how.blur))
    if how.noise:
        noise = Image.frombytes("L", image.size, random.Random(seed).randbytes(image.width * image.height))
        blended = Image.blend(image, noise, how.noise)
        low, high = 127.5 * how.noise, 255 - 127.5 * how.noise  # stretch back: paper white, ink black on average
        image = blended.point(lambda v: min(255, max(0, round((v - low) * 255 / (high - low)))))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=how.jpeg_quality)
    result = Image.open(io.BytesIO(out.getvalue()))
    result.load()
    return result


def images_to_pdf(images: Sequence[Image.Image], dpi: int | Sequence[int] = 150) -> bytes:
    """One multi-page PDF of ``images``, as a copier's scan-to-PDF makes it; ``dpi`` for all
    pages or one per page (a batch put together from scans made at different settings)."""
    dpis = [dpi] * len(images) if isinstance(dpi, int) else list(dpi)
    target = pdfium.PdfDocument.new()
    for image, resolution in zip(images, dpis):
        one = io.BytesIO()
        image.convert("L").save(one, "PDF", resolution=resolution)
        source = pdfium.PdfDocument(one.getvalue())
        target.import_pages(source)
    out = io.BytesIO()
    target.save(out)
    return out.getvalue()


def qr_texts(image: Image.Image) -> list[str]:
    """The QR codes zxing-cpp finds on ``image`` (its defaults, the whole image)."""
    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
