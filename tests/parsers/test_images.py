"""Image attachments: photos and scans of a form OCR'd; logos, inline pictures and bombs left alone."""
from __future__ import annotations

from email.message import EmailMessage

from PIL import Image

from parsers.mime import MAX_IMAGES, parse_message
from tests.parsers import documents as make
from tests.parsers.test_attachments import pairs, source

ROWS = [("Surname", "QUILLFORD"), ("Date of birth", "14/03/2015"), ("Postcode", "EX4 7QT")]


def test_phone_photo_of_a_form_is_read_upright_despite_its_shadow() -> None:
    photo = make.phone_photo(make.form_image(ROWS, "PUPIL REFERRAL"))
    message = parse_message(make.email_with([("IMG_0412.JPG", "image/jpeg", photo)]))
    src = source(message, "IMG_0412.JPG")
    assert src.kind == "image-ocr"
    assert "PUPIL REFERRAL" in src.text
    found = pairs(src, "form_field")
    assert found.get("Surname") == "QUILLFORD"
    assert found.get("Date of birth") == "14/03/2015"
    assert found.get("Postcode") == "EX4 7QT"
    assert [p for p in message.problems if p.startswith("ocr:")] == [
        "ocr: attachment 'IMG_0412.JPG': the text of this image came from OCR; check names and dates against it"]


def test_every_page_of_a_multipage_tiff_scan_is_read() -> None:
    first = make.form_image([("Surname", "ORMEROD")], "LEAVER NOTIFICATION")
    second = make.form_image([("Parent name", "Wynn Ormerod")], "PARENT DETAILS")
    scan = make.image_bytes(first, "TIFF", save_all=True, append_images=[second], compression="tiff_lzw")
    # a scanner that says nothing about its file: the bytes decide
    message = parse_message(make.email_with([("scan0002", "application/octet-stream", scan)]))
    src = source(message, "scan0002")
    assert src.kind == "image-ocr"
    assert src.text.index("LEAVER NOTIFICATION") < src.text.index("PARENT DETAILS")
    assert pairs(src) == {"Surname": "ORMEROD", "Parent name": "Wynn Ormerod"}


def _html_with_inline_picture(picture: bytes) -> bytes:
    message = EmailMessage()
    message["From"] = "Office <office@school.example.org>"
    message["To"] = "cme@example.com"
    message["Subject"] = "Referral"
    message["Date"] = "Tue, 10 Nov 2026 10:00:00 +0000"
    message.set_content("See the form below.")
    message.add_alternative('<p>See the form below.</p><img src="cid:banner.png@01DB1234">', subtype="html")
    message.get_payload()[1].add_related(picture, "image", "png", cid="<banner.png@01DB1234>", filename="banner.png")
    return message.as_bytes()


def test_logos_signatures_and_inline_body_pictures_are_not_ocrd() -> None:
    form_picture = make.image_bytes(make.form_image(ROWS, "PUPIL REFERRAL").convert("RGB"), "PNG")
    logo = make.image_bytes(make.form_image(ROWS, "LOGO", size=(280, 120)), "PNG")
    inline = parse_message(_html_with_inline_picture(form_picture))
    assert [a.filename for a in inline.attachments] == ["banner.png"]  # still listed for download
    attached = parse_message(make.email_with([("logo.png", "image/png", logo)]))
    for message in (inline, attached):
        assert [s.part for s in message.sources] == ["header", "body"]
        assert message.problems == ()


def test_decompression_bombs_and_unknown_formats_are_problems() -> None:
    bomb = make.image_bytes(Image.new("1", (9000, 5000), 1), "PNG")
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(30_000)
    message = parse_message(make.email_with([("scan.png", "image/png", bomb), ("IMG_0007.HEIC", "image/heic", heic)]))
    assert [s.part for s in message.sources] == ["header", "body"]
    assert any(p.startswith("image-too-large: attachment 'scan.png'") for p in message.problems)
    assert any(p.startswith("attachment-unsupported: attachment 'IMG_0007.HEIC'") and "HEIC" in p
               for p in message.problems)


def test_images_past_the_limit_are_not_ocrd() -> None:
    blank = make.image_bytes(Image.new("1", (1240, 1754), 1), "PNG")  # a blank fax page: quick to OCR
    names = [f"page{n}.png" for n in range(MAX_IMAGES + 1)]
    message = parse_message(make.email_with([(n, "image/png", blank) for n in names]))
    assert message.problems == tuple(
        f"ocr-failed: attachment '{n}': no readable text found in the image; open it to read it" for n in names[:-1]
    ) + (f"ocr-limit: attachment '{names[-1]}': not OCR'd (over {MAX_IMAGES} images in the message)",)


def test_a_photo_without_words_gives_no_text() -> None:
    import numpy as np

    blobs = np.random.default_rng(7).integers(0, 255, (70, 90, 3), dtype=np.uint8)  # a photo's shapes, no words
    photo = Image.fromarray(blobs).resize((900, 700), Image.BICUBIC)
    message = parse_message(make.email_with([("holiday.jpg", "image/jpeg", make.image_bytes(photo, "JPEG", quality=95))]))
    assert [s.part for s in message.sources] == ["header", "body"]
    assert message.problems == (
        "ocr-failed: attachment 'holiday.jpg': no readable text found in the image; open it to read it",)
