"""Image attachments (a photo or scan of a referral form): decoded by Pillow within limits and OCR'd with
the cleaning of scanned PDF pages (`parsers.ocr`).

Tiny images (logos, signature images) are left alone. A phone photo is turned upright (EXIF), its
uneven lighting flattened and its size brought near a 200 dpi page before OCR. Pillow's decompression
bomb limit is set here; an image over it is a problem, never an exception.
"""
from __future__ import annotations

import io
import re
import warnings

import numpy as np
from PIL import Image, ImageFilter, ImageOps, ImageSequence, UnidentifiedImageError

from parsers.message import TextSource
from parsers.ocr import ocr_image
from parsers.pdf import text_source

MIN_SIDE = 300  # px: below this on either side an image is a logo or a signature, not a form
MIN_BYTES = 20 * 1024  # a form photo or greyscale scan is larger (bilevel fax scans excepted)
MAX_PIXELS = 40_000_000  # decoded size refused above this (decompression bombs)
MAX_FRAMES = 5  # pages of a multi-page TIFF that are read
LONG_SIDE = (1800, 2400)  # px: the long side is scaled into this range before OCR (about 200 dpi on A4)
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow refuses to open anything twice this size

_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*", b"GIF87a", b"GIF89a", b"BM")
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif")


def is_image(name: str, content_type: str, data: bytes) -> bool:
    """Whether the bytes are a picture (sniffed; the declared type or extension when the bytes say nothing)."""
    if data.startswith(_SIGNATURES) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return True
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return True
    return content_type.startswith("image/") or name.lower().endswith(
        (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".heic", ".heif", ".webp", ".bmp", ".gif"))


def _open(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = Image.open(io.BytesIO(data))
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise Image.DecompressionBombError(f"{width}x{height}")
    return image


def is_tiny(data: bytes) -> bool:
    """A logo, icon or signature image: small on either side, or few bytes and not a bilevel (fax) scan."""
    try:
        image = _open(data)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return False  # `read_image` says it is too large
    except Exception:  # noqa: BLE001 - unreadable images are judged by `read_image`
        return len(data) < MIN_BYTES
    width, height = image.size
    return width < MIN_SIDE or height < MIN_SIDE or (len(data) < MIN_BYTES and image.mode != "1")


def _flatten(gray: Image.Image) -> Image.Image:
    """A photo's uneven lighting divided out: each pixel against the local paper brightness."""
    small = gray.reduce(8) if min(gray.size) >= 64 else gray
    paper = small.filter(ImageFilter.MaxFilter(9)).filter(ImageFilter.GaussianBlur(3))
    if np.percentile(np.asarray(paper), 5) >= 235:
        return gray  # a clean scan already: white paper everywhere
    paper = paper.resize(gray.size, Image.BILINEAR)
    ratio = np.asarray(gray, np.float32) / np.maximum(np.asarray(paper, np.float32), 1.0)
    return Image.fromarray(np.clip(ratio * 255.0, 0, 255).astype(np.uint8))


def _prepared(frame: Image.Image) -> Image.Image:
    """One frame upright, in grey on white, its long side within `LONG_SIDE`."""
    frame = ImageOps.exif_transpose(frame)
    if frame.mode in ("RGBA", "LA", "P", "PA"):
        frame = frame.convert("RGBA")
        white = Image.new("RGBA", frame.size, (255, 255, 255, 255))
        frame = Image.alpha_composite(white, frame)
    gray = frame.convert("L")
    long_side = max(gray.size)
    low, high = LONG_SIDE
    scale = min(high / long_side, 1.0) if long_side > high else min(low / long_side, 2.0) if long_side < low else 1.0
    if scale != 1.0:
        gray = gray.resize((max(int(gray.width * scale), 1), max(int(gray.height * scale), 1)), Image.LANCZOS)
    return _flatten(gray)


def _readable(text: str) -> bool:
    """Whether OCR found words (a form) rather than the letter-like noise of a photo of a face or a room."""
    tokens = [t.strip(".,:;()'\"") for t in text.split() if t != "|"]
    words = [t for t in tokens if re.fullmatch(r"[A-Z]?[a-z]{3,}|[A-Z]{4,}|\d[\d/.-]{3,}|[\w.+-]+@[\w.-]+", t)]
    return len(words) >= 4 and len(words) >= 0.3 * len(tokens)


def read_image(name: str, data: bytes) -> tuple[list[TextSource], list[str]]:
    """The OCR text of an image attachment as one "image-ocr" source (every frame of a TIFF, up to
    `MAX_FRAMES`), and problems: OCR itself, an unreadable or oversized image, a failed OCR."""
    try:
        image = _open(data)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        return [], [f"image-too-large: attachment {name!r}: image too large to decode ({exc.args[0] if exc.args else ''}); not read"]
    except UnidentifiedImageError:
        heif = data[4:8] == b"ftyp"
        what = "HEIC/HEIF photo (no decoder here); open it to read it" if heif else "image format not recognised"
        return [], [f"attachment-unsupported: attachment {name!r}: {what}; not read"]
    except Exception as exc:  # noqa: BLE001 - Pillow fails in many ways on hostile files
        return [], [f"attachment-unreadable: attachment {name!r}: image unreadable ({type(exc).__name__})"]
    problems: list[str] = []
    lines: list[str] = []
    frames = 0
    try:
        for frame in ImageSequence.Iterator(image):
            if frames >= MAX_FRAMES:
                problems.append(f"ocr-limit: attachment {name!r}: only the first {MAX_FRAMES} pages were OCR'd")
                break
            frames += 1
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                text, problem = ocr_image(_prepared(frame))
            if problem:
                problems.append(f"ocr-failed: attachment {name!r} page {frames}: {problem}")
            lines.extend(text.splitlines())
            lines.append("")
    except Exception as exc:  # noqa: BLE001 - a truncated or corrupt image mid-decode
        problems.append(f"attachment-unreadable: attachment {name!r}: image unreadable ({type(exc).__name__})")
    finally:
        image.close()
    if not _readable("\n".join(lines)):
        problems.append(f"ocr-failed: attachment {name!r}: no readable text found in the image; open it to read it")
        return [], problems
    problems.append(f"ocr: attachment {name!r}: the text of this image came from OCR; check names and dates against it")
    return [text_source(name, lines, [], [], "image-ocr")], problems
