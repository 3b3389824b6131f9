"""Throughput of `cme extract` against the bare library stack on the same emails.

    python tools/bench.py [CORPUS_DIR] [--repeat 5]

Runs each side in its own child process (so each has its own peak memory), one after the other:
- cme: the service's isolated reader (`ingest.reader.Reader`: a worker process under the CME_READ_* limits
  that loads the model once, then parses and extracts every .eml sent to it), `--repeat` times (in process
  `extract_file` where the reader is missing; just `parsers.mime.parse_message` while extraction is missing);
- bare: mail-parser parse, pdfplumber page text of PDF attachments (tesseract at 300 dpi for pages with
  no text layer), python-docx paragraphs and table cells of DOCX attachments, and one spaCy `nlp.pipe`
  pass (the configured model, without the components extraction leaves out) over all of that text.
Model loading is outside the timings. Both children get OMP_THREAD_LIMIT=1 (the service's OCR setting)
unless the caller set it. Prints messages/second of each, the ratio and each side's peak RSS.
"""
from __future__ import annotations

import argparse
import base64
import io
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "dev"  # the shared dev corpus beside the checkout
TARGET_RATIO = 1.5
UNNEEDED = ["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]


def _emails(corpus: Path) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(corpus.glob("*.eml"))]


def _run_cme(emails: list[tuple[str, bytes]], repeat: int) -> tuple[float, str]:
    from config.settings import load_settings

    try:
        from extraction.context import build_context
        from extraction.extract import extract_file
    except ImportError:
        from parsers.mime import parse_message

        start = time.perf_counter()
        for _ in range(repeat):
            for name, data in emails:
                try:
                    parse_message(data, name)
                except Exception:  # noqa: BLE001 - an unparseable message still counts as handled
                    pass
        return time.perf_counter() - start, "parse_message only (extraction not available)"
    try:
        from ingest.reader import Reader, ReaderConfig
    except ImportError:  # before the isolated reader: in process
        context = build_context(load_settings(os.environ))
        start = time.perf_counter()
        for _ in range(repeat):
            for name, data in emails:
                extract_file(name, data, context)
        return time.perf_counter() - start, "build_context + extract_file"
    reader = Reader(ReaderConfig.of(load_settings(os.environ)))
    reader.start()  # the worker loads the model outside the timing, as the service does once
    start = time.perf_counter()
    for _ in range(repeat):
        for name, data in emails:
            reader.read(name, data)
    seconds = time.perf_counter() - start
    worker_mb = _worker_peak_mb(reader.worker_pid)
    reader.close()
    return seconds, f"isolated reader (ingest/reader.py: parse + extract in a worker; worker peak {worker_mb:.0f} MB)"


def _worker_peak_mb(pid: int | None) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (OSError, TypeError):
        return 0.0
    return next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM:")), 0.0)


def _bare_texts(data: bytes, dpi: int) -> list[str]:
    import docx
    import mailparser
    import pdfplumber
    import pypdfium2
    import pytesseract

    mail = mailparser.parse_from_bytes(data)
    texts = [mail.subject or "", *mail.text_plain, *mail.text_html]
    for attachment in mail.attachments:
        payload = attachment["payload"]
        raw = base64.b64decode(payload) if attachment.get("binary") else payload.encode("utf-8", "replace")
        if b"%PDF-" in raw[:1024]:
            try:
                with pdfplumber.open(io.BytesIO(raw)) as pdf:
                    for number, page in enumerate(pdf.pages):
                        if page.chars:
                            texts.append(page.extract_text() or "")
                        else:
                            image = pypdfium2.PdfDocument(raw)[number].render(scale=dpi / 72).to_pil()
                            texts.append(pytesseract.image_to_string(image))
            except Exception:  # noqa: BLE001
                pass
        elif raw[:4] == b"PK\x03\x04":
            try:
                document = docx.Document(io.BytesIO(raw))
            except Exception:  # noqa: BLE001
                continue
            texts.extend(p.text for p in document.paragraphs)
            for table in document.tables:
                for row in table.rows:
                    texts.extend(cell.text for cell in row.cells)
    return texts


def _run_bare(emails: list[tuple[str, bytes]], repeat: int, dpi: int = 300) -> tuple[float, str]:
    import spacy

    from config.settings import load_settings

    model = load_settings(os.environ).spacy_model
    nlp = spacy.blank("en") if model == "blank" else spacy.load(model, exclude=UNNEEDED)
    start = time.perf_counter()
    for _ in range(repeat):
        texts: list[str] = []
        for _name, data in emails:
            try:
                texts.extend(_bare_texts(data, dpi))
            except Exception:  # noqa: BLE001
                pass
        for _doc in nlp.pipe(t for t in texts if t):
            pass
    return time.perf_counter() - start, f"mail-parser + pdfplumber/tesseract@{dpi}dpi + python-docx + spaCy {model}"


def _child(stack: str, corpus: Path, repeat: int, dpi: int) -> None:
    sys.path.insert(0, str(ROOT))
    emails = _emails(corpus)
    seconds, what = _run_cme(emails, repeat) if stack == "cme" else _run_bare(emails, repeat, dpi)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"stack": stack, "messages": len(emails) * repeat, "seconds": seconds,
                      "peak_mb": peak_kb / 1024, "what": what}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--bare-dpi", type=int, default=300, help="resolution of the bare stack's OCR renders")
    parser.add_argument("--child", choices=["cme", "bare"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.corpus, args.repeat, args.bare_dpi)
        return 0
    if not any(args.corpus.glob("*.eml")):
        print(f"no .eml files in {args.corpus}", file=sys.stderr)
        return 2
    env = dict(os.environ)
    env.setdefault("OMP_THREAD_LIMIT", "1")
    results = {}
    for stack in ("bare", "cme"):
        done = subprocess.run([sys.executable, __file__, str(args.corpus), "--repeat", str(args.repeat),
                               "--bare-dpi", str(args.bare_dpi), "--child", stack],
                              capture_output=True, text=True, env=env, cwd=ROOT, check=False)
        if done.returncode != 0:
            print(done.stderr[-3000:], file=sys.stderr)
            return 1
        results[stack] = json.loads(done.stdout.strip().splitlines()[-1])
    for stack in ("bare", "cme"):
        r = results[stack]
        rate = r["messages"] / r["seconds"]
        print(f"{stack:5} {rate:8.2f} messages/s  ({r['messages']} messages in {r['seconds']:.1f} s; "
              f"peak {r['peak_mb']:.0f} MB)  {r['what']}")
    ratio = results["cme"]["seconds"] / results["bare"]["seconds"]
    verdict = "within" if ratio <= TARGET_RATIO else "OVER"
    print(f"ratio cme/bare time: {ratio:.2f} ({verdict} the {TARGET_RATIO}x target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
