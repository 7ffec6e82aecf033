from __future__ import annotations

import io
import re

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from qingqing_desktop.cli import main
from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.domain.staff import RankCategory, StaffMember
from qingqing_desktop.services import (
    campaign_service,
    document_service,
    pledge_service,
    roster_service,
    seal_service,
)
from qingqing_desktop.services.session import open_session
from qingqing_desktop.store import audit


def scanned_seal(path, fmt="PNG"):
    """A red ring with text on white paper, as a scanner delivers it."""
    image = Image.new("RGB", (400, 400), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 20, 380, 380), outline=(200, 20, 20), width=18)
    draw.regular_polygon((200, 200, 60), 5, fill=(200, 20, 20))
    image.save(path, format=fmt)
    return path


def test_seal_is_stored_as_png_and_white_becomes_transparent_by_default(unit_session, tmp_path):
    png = seal_service.set_seal_image(unit_session, scanned_seal(tmp_path / "印章.jpg", "JPEG"))
    image = Image.open(io.BytesIO(seal_service.seal_image(unit_session)))
    assert png.startswith(b"\x89PNG") and image.mode == "RGBA"
    assert image.getpixel((5, 5))[3] == 0          # paper
    assert image.getpixel((200, 200))[3] == 255    # the red star
    assert image.getpixel((200, 200))[0] > 150
    entries = [e for e in audit.entries(unit_session.store, table="unit") if e.field == "seal_image"]
    assert entries and entries[0].new_value


def test_bad_seal_files_are_refused_and_nothing_stored(unit_session, tmp_path):
    fake = tmp_path / "seal.png"
    fake.write_bytes(b"GIF89a" + bytes(100))
    with pytest.raises(InputRejected, match="不是 PNG 或 JPEG"):
        seal_service.set_seal_image(unit_session, fake)
    tiny = tmp_path / "tiny.png"
    Image.new("RGB", (10, 10), "red").save(tiny)
    with pytest.raises(InputRejected, match="像素"):
        seal_service.set_seal_image(unit_session, tiny)
    broken = tmp_path / "broken.png"
    broken.write_bytes(scanned_seal(tmp_path / "ok.png").read_bytes()[:200])
    with pytest.raises(InputRejected, match="损坏") as refused:
        seal_service.set_seal_image(unit_session, broken)
    assert seal_service.seal_image(unit_session) is None
    # Pillow's own words ("image file is truncated") go to the log, not to the clerk
    assert not re.search(r"image|truncated|cannot", str(refused.value)), str(refused.value)


def test_summary_pdf_carries_the_seal_image_and_says_so(unit_session, tmp_path):
    member = roster_service.add_staff(unit_session, StaffMember(name="李𡈽", rank=RankCategory.MIDDLE_CADRE, post="分管审批"))
    campaign_service.create_campaign(unit_session, deadline="2019-03-14")
    pledge_service.sign_many(unit_session, [member.id], "2019-03-08")
    plain = tmp_path / "plain.pdf"
    document_service.export_document(unit_session, "summary", plain)
    seal_service.set_seal_image(unit_session, scanned_seal(tmp_path / "seal.png"), transparent_white=True)
    sealed = tmp_path / "sealed.pdf"
    document_service.export_document(unit_session, "summary", sealed)

    def images(path):
        page = PdfReader(path).pages[0]
        xobjects = page["/Resources"].get("/XObject") or {}
        return [k for k, v in xobjects.items() if v.get_object()["/Subtype"] == "/Image"]

    assert images(plain) == []
    assert len(images(sealed)) == 1
    assert "电子印章图像" in PdfReader(sealed).pages[0].extract_text()
    seal_service.clear_seal_image(unit_session)
    assert seal_service.seal_image(unit_session) is None


def test_cli_seal_set_and_clear(tmp_path, capsys):
    db = tmp_path / "u.sqlite3"
    assert main(["--db", str(db), "unit", "set", "--name", "技术科", "--kind", "科室", "--leader", "林"]) == 0
    assert main(["--db", str(db), "unit", "seal", "set", str(scanned_seal(tmp_path / "s.png"))]) == 0
    assert "已设置电子印章图像" in capsys.readouterr().out
    session = open_session(db)
    try:
        assert Image.open(io.BytesIO(seal_service.seal_image(session))).getpixel((5, 5))[3] == 0  # paper gone
    finally:
        session.close()
    # the opt-out keeps the white paper; the old flag is still accepted (it is the default now)
    assert main(["--db", str(db), "unit", "seal", "set", str(scanned_seal(tmp_path / "s.png")), "--keep-white"]) == 0
    session = open_session(db)
    try:
        assert Image.open(io.BytesIO(seal_service.seal_image(session))).convert("RGBA").getpixel((5, 5))[3] == 255
    finally:
        session.close()
    assert main(["--db", str(db), "unit", "seal", "set", str(scanned_seal(tmp_path / "s.png")), "--transparent-white"]) == 0
    bad = tmp_path / "x.png"
    bad.write_text("not an image")
    assert main(["--db", str(db), "unit", "seal", "set", str(bad)]) == 2
    assert main(["--db", str(db), "unit", "seal", "clear"]) == 0


def test_seal_info_names_the_file_and_restore_puts_an_image_back(unit_session, tmp_path):
    assert seal_service.seal_info(unit_session) is None
    png = seal_service.set_seal_image(unit_session, scanned_seal(tmp_path / "公章.png"))
    assert seal_service.seal_info(unit_session) == (png, "公章.png")
    seal_service.restore_seal_image(unit_session, None)
    assert seal_service.seal_image(unit_session) is None
    seal_service.restore_seal_image(unit_session, png, "公章.png")
    assert seal_service.seal_info(unit_session) == (png, "公章.png")
    with pytest.raises(InputRejected, match="不是 PNG 或 JPEG"):
        seal_service.restore_seal_image(unit_session, b"not an image", "x.png")
