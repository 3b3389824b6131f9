"""The jinja2 environment for email templates: built once at start-up, the only reader of template files.

StrictUndefined makes a missing variable an error instead of an empty string; autoescaping is on
for `.html` templates only.
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


def make_env(templates_dir: Path = TEMPLATES_DIR) -> Environment:
    return Environment(loader=FileSystemLoader(str(templates_dir)), undefined=StrictUndefined,
                       autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
