"""Hostile mail, built in the test (never committed): bombs, floods, deep nesting, XXE, path traversal.

Every message comes from an invented sender at example.org; nothing in them names a real person.
Large files are made by streaming compressors, so a 1 GB bomb costs a few seconds and a few MB here.
"""
from __future__ import annotations

import base64
import functools
import io
import struct
import uuid
import zipfile
import zlib
from email.utils import formatdate

SENDER = "mallory.vane@example.org"
CHUNK = b"\0" * (1024 * 1024)


def _deflate(prefix: bytes, zero_mb: int, suffix: bytes = b"", raw: bool = False) -> tuple[bytes, int, int]:
    """(compressed, crc32, size) of prefix + zero_mb MB of zeros + suffix, compressed as it is made."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15 if raw else 15)
    out = [packer.compress(prefix)]
    crc = zlib.crc32(prefix)
    for _ in range(zero_mb):
        out.append(packer.compress(CHUNK))
        crc = zlib.crc32(CHUNK, crc)
    out.append(packer.compress(suffix))
    out.append(packer.flush())
    crc = zlib.crc32(suffix, crc)
    return b"".join(out), crc, len(prefix) + zero_mb * len(CHUNK) + len(suffix)


def mail(parts: list[tuple[str, str, bytes]], body: str = "Please see the attached.", subject: str = "Referral",
         sender: str = SENDER, extra_headers: str = "") -> bytes:
    """A multipart/mixed message with a plain body and (filename, content type, bytes) attachments."""
    boundary = f"b-{uuid.uuid4().hex}"
    lines = [f"From: Mallory Vane <{sender}>", "To: cme@hants.gov.uk", f"Subject: {subject}",
             f"Date: {formatdate(1763287920)}", f"Message-ID: <hostile-{uuid.uuid4().hex[:12]}@example.org>",
             "MIME-Version: 1.0"]
    head = "\r\n".join(lines) + "\r\n" + extra_headers
    out = [head.encode() + f"Content-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n".encode(),
           f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n".encode()]
    for name, ctype, data in parts:
        encoded = base64.encodebytes(data).replace(b"\n", b"\r\n")
        out.append(f"--{boundary}\r\nContent-Type: {ctype}; name=\"{name}\"\r\n"
                   f"Content-Disposition: attachment; filename=\"{name}\"\r\n"
                   "Content-Transfer-Encoding: base64\r\n\r\n".encode() + encoded)
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out)


# --- PDF ---------------------------------------------------------------------------------------------


def _pdf(content: bytes, filters: str) -> bytes:
    """A one-page PDF whose page content stream is `content` (already encoded with `filters`)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d /Filter %s >>\nstream\n" % (len(content), filters.encode()) + content + b"\nendstream"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


@functools.lru_cache(maxsize=None)
def pdf_bomb(gigabytes: int = 1) -> bytes:
    """A PDF of a few kilobytes whose content stream inflates to `gigabytes` GB (two Flate layers)."""
    inner, _, _ = _deflate(b"BT /F1 12 Tf 72 720 Td (Referral) Tj ET\n", gigabytes * 1024)
    outer = zlib.compress(inner, 9)
    return _pdf(outer, "[/FlateDecode /FlateDecode]")


# --- ZIP and DOCX ------------------------------------------------------------------------------------

CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 b'<Default Extension="xml" ContentType="application/xml"/>'
                 b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                 b'wordprocessingml.document.main+xml"/></Types>')
RELS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'officeDocument" Target="word/document.xml"/></Relationships>')
W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def document_xml(text: str, doctype: bytes = b"") -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + doctype
            + b"<w:document " + W + b"><w:body><w:p><w:r><w:t>" + text.encode() + b"</w:t></w:r></w:p></w:body></w:document>")


def docx(text: str, doctype: bytes = b"") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", document_xml(text, doctype))
    return out.getvalue()


def _zip(entries: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A ZIP from (name, stored bytes, method, crc32, declared size) entries: sizes may lie."""
    out = io.BytesIO()
    central = []
    for name, stored, method, crc, declared in entries:
        offset = out.tell()
        raw_name = name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(stored), declared,
                              len(raw_name), 0) + raw_name + stored)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(stored),
                                   declared, len(raw_name), 0, 0, 0, 0, 0, offset) + raw_name)
    start = out.tell()
    for record in central:
        out.write(record)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), out.tell() - start, start, 0))
    return out.getvalue()


def _entry(name: str, data: bytes) -> tuple[str, bytes, int, int, int]:
    packed = zlib.compressobj(9, zlib.DEFLATED, -15)
    stored = packed.compress(data) + packed.flush()
    return name, stored, 8, zlib.crc32(data), len(data)


@functools.lru_cache(maxsize=None)
def docx_zip_bomb(gigabytes: int = 1) -> bytes:
    """A DOCX whose document part inflates to `gigabytes` GB while both directories say 4 KB (and give the
    CRC of those first 4 KB, so zipfile's own size check passes)."""
    head = document_xml("Referral")[:-len(b"</w:t></w:r></w:p></w:body></w:document>")]
    stored, _, _ = _deflate(head, gigabytes * 1024, raw=True)
    declared = 4096
    first = (head + CHUNK)[:declared]
    return _zip([_entry("[Content_Types].xml", CONTENT_TYPES), _entry("_rels/.rels", RELS),
                 ("word/document.xml", stored, 8, zlib.crc32(first), declared)])


def zip_with_entries(count: int = 10_000) -> bytes:
    """A valid DOCX package with `count` tiny entries besides its document."""
    entries = [_entry("[Content_Types].xml", CONTENT_TYPES), _entry("_rels/.rels", RELS),
               _entry("word/document.xml", document_xml("Referral"))]
    entries += [_entry(f"word/media/filler{n}.xml", b"<a/>") for n in range(count)]
    return _zip(entries)


# --- MIME ----------------------------------------------------------------------------------------------


def nested_mime(depth: int = 500) -> bytes:
    """multipart/mixed inside multipart/mixed, `depth` times, a short text at the bottom."""
    head = (f"From: Mallory Vane <{SENDER}>\r\nTo: cme@hants.gov.uk\r\nSubject: Referral\r\n"
            f"Date: {formatdate(1763287920)}\r\nMessage-ID: <deep-{uuid.uuid4().hex[:12]}@example.org>\r\n"
            "MIME-Version: 1.0\r\n")
    opening, closing = [], []
    for level in range(depth):
        opening.append(f"Content-Type: multipart/mixed; boundary=\"n{level}\"\r\n\r\n--n{level}\r\n")
        closing.append(f"\r\n--n{level}--\r\n")
    leaf = "Content-Type: text/plain\r\n\r\nA child has not been seen at school.\r\n"
    return (head + "".join(opening) + leaf + "".join(reversed(closing))).encode()


def header_flood(count: int = 50_000) -> bytes:
    flood = "".join(f"X-Flood-{n}: {'x' * 40}\r\n" for n in range(count))
    return (f"From: Mallory Vane <{SENDER}>\r\nTo: cme@hants.gov.uk\r\nSubject: Referral\r\n{flood}"
            f"Date: {formatdate(1763287920)}\r\nMessage-ID: <flood-{uuid.uuid4().hex[:12]}@example.org>\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nA child has not been seen at school.\r\n").encode()


def long_html_referral(megabytes: int = 10) -> bytes:
    """A referral at the top of an HTML body, then an attendance export that takes it to `megabytes` MB."""
    top = ("<p>Dear CME team,</p><p>I am the attendance lead at Quillfield Infant School. I would like to refer "
           "Peregrine Stobbart, date of birth 17/02/2015, of 4 Hollyhock Mews, Fleet GU51 9ZT. Peregrine has not "
           "attended since 2 November and the family do not answer the phone. Mother: Sasha Stobbart, "
           "07700 900418.</p><p>Kind regards,<br>Kemi Olowe<br>Attendance Lead, Quillfield Infant School</p>"
           "<h2>Attendance export</h2><table>")
    row = "<tr><td>Pupil {n}</td><td>Year {y}</td><td>{p}%</td><td>present</td></tr>\n"
    rows, size, n = [], len(top), 0
    while size < megabytes * 1024 * 1024:
        rows.append(row.format(n=n, y=n % 7, p=90 + n % 10))
        size += len(rows[-1])
        n += 1
    html = top + "".join(rows) + "</table></body></html>"
    return (f"From: Kemi Olowe <k.olowe@quillfield.example.org>\r\nTo: cme@hants.gov.uk\r\n"
            f"Subject: Referral - pupil not attending\r\nDate: {formatdate(1763287920)}\r\n"
            f"Message-ID: <long-{uuid.uuid4().hex[:12]}@example.org>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/html; charset=utf-8\r\n\r\n" + html).encode()
