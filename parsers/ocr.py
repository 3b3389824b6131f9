"""OCR of scanned, image-only PDF pages: pypdfium2 renders, Debian's tesseract reads (bounded in time)."""
from __future__ import annotations

import pypdfium2
import pytesseract

DPI = 300
TIMEOUT_SECONDS = 60
MAX_PIXELS = 40_000_000


def ocr_pdf_page(data: bytes, index: int) -> tuple[str, str | None]:
    """The OCR text of page `index` of a PDF, and a problem when it could not be read."""
    try:
        document = pypdfium2.PdfDocument(data)
        try:
            page = document[index]
            width, height = page.get_size()
            scale = DPI / 72
            if width * height * scale * scale > MAX_PIXELS:
                scale = (MAX_PIXELS / max(width * height, 1)) ** 0.5
            image = page.render(scale=scale).to_pil()
        finally:
            document.close()
    except Exception as exc:  # noqa: BLE001 - pdfium errors on hostile files
        return "", f"page could not be rendered for OCR ({type(exc).__name__})"
    return ocr_image(image)


def ocr_image(image: object) -> tuple[str, str | None]:
    """Tesseract text of a PIL image; a problem string on timeout or a missing tesseract."""
    try:
        text = pytesseract.image_to_string(image, lang="eng", timeout=TIMEOUT_SECONDS)
    except RuntimeError:
        return "", "OCR timed out"
    except (pytesseract.TesseractNotFoundError, pytesseract.TesseractError, OSError) as exc:
        return "", f"OCR failed ({type(exc).__name__})"
    return "\n".join(line.rstrip() for line in text.splitlines()).strip(), None
