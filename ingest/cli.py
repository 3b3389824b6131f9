"""The `cme` command: extract, poll, run, export, check, user.

This is the composition root: settings are loaded here once and passed down.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path


def _cmd_extract(args: argparse.Namespace) -> int:
    """Print one contract record per file as JSON Lines; no database, no network."""
    from config.settings import load_settings
    from extraction.context import build_context
    from extraction.extract import extract_file

    settings = load_settings(os.environ)
    context = build_context(settings)
    out = sys.stdout
    for name in args.files:
        path = Path(name)
        record = extract_file(path.name, path.read_bytes(), context)
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cme", description="Children Missing Education inbox service")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("extract", help="print referral records of .eml files as JSON Lines")
    p.add_argument("files", nargs="+")
    p.set_defaults(func=_cmd_extract)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
