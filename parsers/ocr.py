"""OCR of scanned, image-only PDF pages: pypdfium2 renders, Debian's tesseract reads, bounded in time.

Scanned forms are boxes of label and value: before OCR the page is deskewed and its ruled lines removed
(they otherwise read as "|", "_" and "7"). Words are then regrouped into lines, and a wide gap between
two words of a line becomes " | ", so a label and its handwritten or typed value share one line.
A line under a value that starts where that value starts continues it (a second address line).
"""
from __future__ import annotations

import os
import re
import statistics

import numpy as np
import pypdfium2
import pytesseract
from PIL import Image, ImageOps

from parsers.pairs import ROW_SEPARATOR

DPI = 200
TIMEOUT_SECONDS = 60
MAX_PIXELS = 25_000_000
_RULE_RUN = 50  # dark pixels in a row (at DPI) that make a ruled line, not a letter
_NOISE = re.compile(r"^[\W_]+$")
# Tesseract's OpenMP threads fight each other and the service's other work: one thread per page is
# three times faster on a busy two-core host. An operator's own setting is kept.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def ocr_pdf_page(document: pypdfium2.PdfDocument, index: int) -> tuple[str, str | None]:
    """The OCR text of page `index` of an open pdfium document, and a problem when it could not be read."""
    try:
        page = document[index]
        width, height = page.get_size()
        scale = DPI / 72
        if width * height * scale * scale > MAX_PIXELS:
            scale = (MAX_PIXELS / max(width * height, 1)) ** 0.5
        image = page.render(scale=scale, grayscale=True).to_pil()
    except Exception as exc:  # noqa: BLE001 - pdfium errors on hostile files
        return "", f"page could not be rendered for OCR ({type(exc).__name__})"
    return ocr_image(image)


def ocr_image(image: Image.Image) -> tuple[str, str | None]:
    """Tesseract text of a PIL image as form lines; a problem string on timeout or a missing tesseract."""
    try:
        cleaned = _clean(image)
        data = pytesseract.image_to_data(cleaned, lang="eng", config="--psm 6", timeout=TIMEOUT_SECONDS,
                                         output_type=pytesseract.Output.DICT)
    except RuntimeError:
        return "", "OCR timed out"
    except (pytesseract.TesseractNotFoundError, pytesseract.TesseractError, OSError, ValueError) as exc:
        return "", f"OCR failed ({type(exc).__name__})"
    return _lines(data), None


def _deskew_angle(gray: Image.Image) -> float:
    """The small rotation (within 3 degrees) that makes text rows most horizontal (projection profile)."""
    small = ImageOps.invert(gray.resize((max(gray.width // 4, 1), max(gray.height // 4, 1))))
    best, angle = -1.0, 0.0
    for candidate in np.arange(-3.0, 3.01, 0.25):
        rows = np.asarray(small.rotate(float(candidate), resample=Image.BILINEAR), dtype=np.float32).sum(axis=1)
        score = float(np.var(rows))
        if score > best:
            best, angle = score, float(candidate)
    return angle


def _runs(mask: np.ndarray, run: int) -> np.ndarray:
    """Pixels lying in a horizontal run of at least `run` dark pixels."""
    height, width = mask.shape
    if width <= run:
        return np.zeros_like(mask)
    cs = np.zeros((height, width + 1), np.int32)
    np.cumsum(mask, axis=1, out=cs[:, 1:])
    full = (cs[:, run:] - cs[:, :-run]) == run
    cf = np.zeros((height, full.shape[1] + 1), np.int32)
    np.cumsum(full, axis=1, out=cf[:, 1:])
    padded = np.concatenate([np.zeros((height, run - 1), np.int32), cf,
                             np.repeat(cf[:, -1:], width + run - cf.shape[1], axis=1)], axis=1)
    return (padded[:, run:run + width] - padded[:, :width]) > 0


def _clean(image: Image.Image) -> Image.Image:
    gray = image.convert("L")
    angle = _deskew_angle(gray)
    if angle:
        gray = gray.rotate(angle, resample=Image.BILINEAR, fillcolor=255)
    pixels = np.asarray(gray)
    dark = pixels < 160
    rules = _runs(dark, _RULE_RUN) | _runs(np.ascontiguousarray(dark.T), _RULE_RUN).T
    grown = rules.copy()
    for d in (1, 2):
        grown[d:, :] |= rules[:-d, :]
        grown[:-d, :] |= rules[d:, :]
        grown[:, d:] |= rules[:, :-d]
        grown[:, :-d] |= rules[:, d:]
    out = Image.fromarray(np.where(grown | (pixels > 200), 255, pixels).astype(np.uint8))
    out.format = "BMP"  # uncompressed: pytesseract's default PNG encoding costs a second a page
    return out


def _lines(data: dict) -> str:
    words: dict[tuple[int, int, int], list[tuple[int, int, int, int, str]]] = {}
    for i, text in enumerate(data.get("text", [])):
        text = (text or "").strip()
        try:
            conf = float(data["conf"][i])
        except (TypeError, ValueError):
            conf = -1.0
        if not text or conf < 0 or (_NOISE.match(text) and conf < 60 and text not in ("-", "&")):
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        words.setdefault(key, []).append((data["left"][i], data["top"][i], data["width"][i], data["height"][i], text))
    heights = [w[3] for line in words.values() for w in line]
    unit = statistics.median(heights) if heights else 20
    rows: list[dict] = []
    for line in words.values():
        line.sort(key=lambda w: w[0])
        cells: list[list[str]] = [[]]
        starts = [line[0][0]]
        previous_end = None
        for left, top, width, height, text in line:
            if previous_end is not None and left - previous_end > 2.5 * unit:
                cells.append([])
                starts.append(left)
            cells[-1].append(text)
            previous_end = left + width
        row = {"cells": [" ".join(c) for c in cells], "starts": starts,
               "top": min(w[1] for w in line), "bottom": max(w[1] + w[3] for w in line)}
        last = rows[-1] if rows else None
        if (last is not None and len(row["cells"]) == 1 and len(last["cells"]) >= 2
                and abs(row["starts"][0] - last["starts"][-1]) < 1.5 * unit
                and row["top"] - last["bottom"] < 1.6 * unit):
            previous = last["cells"][-1]
            joiner = ", " if len(previous) <= 40 and not previous.endswith((".", ",", ";", ":", "-")) else " "
            last["cells"][-1] = previous + joiner + row["cells"][0]
            last["bottom"] = row["bottom"]
            continue
        rows.append(row)
    return "\n".join(ROW_SEPARATOR.join(r["cells"]) for r in rows)
