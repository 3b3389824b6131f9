"""Builders of fictitious attachments for the parser tests: PDFs written by hand, DOCX by python-docx,
scanned pages drawn with Pillow, emails with the stdlib."""
from __future__ import annotations

import io
from email.message import EmailMessage

import docx
from docx.oxml import parse_xml
from PIL import Image, ImageDraw, ImageFont

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
W14_NS = 'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
V_NS = 'xmlns:v="urn:schemas-microsoft-com:vml"'


def _pdf_string(text: str) -> str:
    if text.isascii():
        return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def pdf(texts: list[tuple[float, float, str]], boxes: list[tuple[float, float, float, float]] = (),
        fields: list[dict] = (), pages_count: int = 1) -> bytes:
    """A one-page A4 PDF: Helvetica texts at (x, y from the top), stroked boxes (x, top, w, h), AcroForm fields.

    A field is {"T": name, "TU": tooltip or None, "V": str or ("name", "Yes"), "FT": "Tx" | "Btn", "kids": [...],
    "at": (x, top) of its box (default (300, 127)), "page": its page index (default 0)}.
    """
    height = 842
    ops = []
    for x, top, w, h in boxes:
        ops.append(f"{x} {height - top - h} {w} {h} re S")
    for x, top, text in texts:
        ops.append(f"BT /F1 10 Tf {x} {height - top - 10} Td {_pdf_string(text)} Tj ET")
    content = "\n".join(ops).encode("latin-1")
    objects: list[bytes] = []

    def add(body: str | bytes) -> int:
        objects.append(body.encode("latin-1") if isinstance(body, str) else body)
        return len(objects)

    catalog = add("")
    pages = add("")
    page_numbers = [add("") for _ in range(pages_count)]
    page = page_numbers[0]
    stream = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    font = add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")

    def field(spec: dict, parent: int | None) -> int:
        number = add("")
        parts = [f"/T {_pdf_string(spec['T'])}"]
        if spec.get("TU"):
            parts.append(f"/TU {_pdf_string(spec['TU'])}")
        if parent:
            parts.append(f"/Parent {parent} 0 R")
        if "V" in spec:
            value = spec["V"]
            parts.append(f"/V /{value[1]}" if isinstance(value, tuple) else f"/V {_pdf_string(value)}")
            x, top = spec.get("at", (300, 127))
            parts.append(f"/FT /{spec.get('FT', 'Tx')} /Type /Annot /Subtype /Widget "
                         f"/Rect [{x} {height - top - 15} {x + 200} {height - top}] /P {page_numbers[spec.get('page', 0)]} 0 R")
        kids = [field(k, number) for k in spec.get("kids", [])]
        if kids:
            parts.append("/Kids [" + " ".join(f"{k} 0 R" for k in kids) + "]")
        objects[number - 1] = ("<< " + " ".join(parts) + " >>").encode("latin-1")
        return number

    roots = [field(f, None) for f in fields]
    acro = f" /AcroForm << /Fields [{' '.join(f'{r} 0 R' for r in roots)}] >>" if roots else ""
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages} 0 R{acro} >>".encode()
    page_body = (f"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 595 842] /Contents {stream} 0 R "
                 f"/Resources << /Font << /F1 {font} 0 R >> >> >>")
    for number in page_numbers:
        objects[number - 1] = page_body.encode()
    kids = page_numbers
    objects[pages - 1] = (f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] "
                          f"/Count {len(kids)} >>").encode()
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    return bytes(out)


def label_value_table_pdf(rows: list[tuple[str, str]], title: str) -> bytes:
    """A text PDF: a title, then a ruled two-column table of labels and values."""
    texts = [(50, 40, title)]
    boxes = []
    top = 80
    for label, value in rows:
        boxes += [(50, top, 180, 24), (230, top, 300, 24)]
        texts += [(56, top + 7, label), (236, top + 7, value)]
        top += 24
    return pdf(texts, boxes)


def scanned_form_pdf(rows: list[tuple[str, str]], title: str, skew: float = 0.8) -> bytes:
    """An image-only PDF (150 dpi A4): a title and a ruled label/value grid, slightly rotated like a scan."""
    image = form_image(rows, title).rotate(skew, resample=Image.BILINEAR, fillcolor=255)
    out = io.BytesIO()
    image.save(out, "PDF", resolution=150)
    return out.getvalue()


def docx_bytes(build) -> bytes:
    """A DOCX made by `build(document)`."""
    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def content_control(label: str, text: str, placeholder: bool = False) -> object:
    flag = "<w:showingPlcHdr/>" if placeholder else ""
    return parse_xml(f'<w:sdt {W_NS}><w:sdtPr><w:alias w:val="{label}"/><w:tag w:val="{label.lower()}"/>{flag}'
                     f'</w:sdtPr><w:sdtContent><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:sdtContent></w:sdt>')


def checkbox_control(label: str, checked: bool) -> object:
    glyph = "☒" if checked else "☐"
    return parse_xml(f'<w:sdt {W_NS} {W14_NS}><w:sdtPr><w:alias w:val="{label}"/><w14:checkbox>'
                     f'<w14:checked w14:val="{int(checked)}"/></w14:checkbox></w:sdtPr>'
                     f'<w:sdtContent><w:r><w:t>{glyph}</w:t></w:r></w:sdtContent></w:sdt>')


def legacy_checkbox(checked: bool) -> list[object]:
    state = "<w:checked/>" if checked else ""
    return [parse_xml(f'<w:r {W_NS}><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Check1"/>'
                      f'<w:checkBox><w:sizeAuto/><w:default w:val="0"/>{state}</w:checkBox></w:ffData></w:fldChar></w:r>'),
            parse_xml(f'<w:r {W_NS}><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>'),
            parse_xml(f'<w:r {W_NS}><w:fldChar w:fldCharType="end"/></w:r>')]


def text_box(text: str) -> object:
    return parse_xml(f'<w:r {W_NS} {V_NS}><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t>'
                     f'</w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>')


def email_with(attachments: list[tuple[str, str, bytes]], body: str = "Please see attached.",
               subject: str = "Referral", sender: str = "Office <office@school.example.org>") -> bytes:
    """A multipart email with a plain body and the given (filename, content type, bytes) attachments."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "cme@example.com"
    message["Subject"] = subject
    message["Date"] = "Tue, 10 Nov 2026 10:00:00 +0000"
    message["Message-ID"] = "<built@example.org>"
    message.set_content(body)
    for name, ctype, data in attachments:
        if ctype == "message/rfc822":
            from email import message_from_bytes, policy
            message.add_attachment(message_from_bytes(data, policy=policy.default), filename=name)
        else:
            maintype, subtype = ctype.split("/")
            message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def legacy_text_field(name: str, value: str) -> list[object]:
    return [parse_xml(f'<w:r {W_NS}><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="{name}"/>'
                      f'<w:textInput/></w:ffData></w:fldChar></w:r>'),
            parse_xml(f'<w:r {W_NS}><w:instrText xml:space="preserve"> FORMTEXT </w:instrText></w:r>'),
            parse_xml(f'<w:r {W_NS}><w:fldChar w:fldCharType="separate"/></w:r>'),
            parse_xml(f'<w:r {W_NS}><w:t>{value}</w:t></w:r>'),
            parse_xml(f'<w:r {W_NS}><w:fldChar w:fldCharType="end"/></w:r>')]


def form_image(rows: list[tuple[str, str]], title: str, size: tuple[int, int] = (1240, 1754)) -> Image.Image:
    """A white page (150 dpi A4 by default): a title and a ruled label/value grid, as a scanner sees it."""
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=30)
    draw.text((100, 100), title, fill=0, font=font)
    top = 200
    for label, value in rows:
        draw.rectangle((100, top, 480, top + 60), outline=0, width=3)
        draw.rectangle((480, top, 1140, top + 60), outline=0, width=3)
        draw.text((115, top + 14), label, fill=0, font=font)
        draw.text((500, top + 14), value, fill=30, font=font)
        top += 75
    return image


def phone_photo(page: Image.Image) -> bytes:
    """`page` as a phone camera keeps it: colour JPEG, a shadow across it, stored sideways with an EXIF
    orientation saying how to turn it upright."""
    import numpy as np

    grey = np.asarray(page, np.float32)
    light = np.linspace(1.0, 0.55, grey.shape[1], dtype=np.float32)[None, :]
    lit = grey * light * 0.92
    rgb = np.stack([lit, lit * 0.97, lit * 0.9], axis=2).clip(0, 255).astype(np.uint8)
    photo = Image.fromarray(rgb).transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: turn 90 degrees clockwise to view
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


def image_bytes(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()
