"""What extraction needs that is loaded once at start-up: the spaCy pipeline, the school register.

`build_context(settings)` is the only place extraction reads a file or loads a model; every
function that takes an `ExtractionContext` is pure.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language

from extraction.calibration import Calibration
from extraction.nlp import build_nlp

CALIBRATION_FILE = Path(__file__).resolve().parent.parent / "config" / "calibration.json"  # `cme calibrate` writes it
# (ingest/calibrate.py names the same file without importing the extraction stack)
TEXTCAT_DIR = Path(__file__).resolve().parent.parent / "config" / "textcat"  # tools/textcat.py --write
SPANCAT_DIR = Path(__file__).resolve().parent.parent / "config" / "spancat"  # tools/spancat.py --write
# These two files are version 0 of each kind; `build_context` takes a stored version instead when the settings
# name one (`calibration_json`, `textcat_dir`: the reader's config, filled by ingest/versions.py).
NO_CALIBRATION = "none"  # as `calibration_json`: raw scores (what `cme calibrate` fits on)


@dataclass(frozen=True)
class ExtractionContext:
    nlp: Language
    register: Any  # extraction.schools.SchoolRegister, or None when classify's module is absent
    own_addresses: frozenset[str]  # the service's own mailboxes (never a referrer)
    inbox: str = ""  # the CME inbox itself (acknowledgements come from it)
    calibration: Any = None  # extraction.calibration.Calibration; None: raw scores and the default threshold
    textcat: Any = None  # spaCy text classifier for a second opinion on the category (extraction/category_model.py)
    spancat: Any = None  # spaCy span categoriser for fields the rules left empty (extraction/span_model.py)
    authserv_id: str = ""  # whose Authentication-Results to believe (CME_AUTHSERV_ID; "": the topmost header)


def build_context(settings: Any) -> ExtractionContext:
    """Load the model and the school register named by `settings` (a config.settings.Settings)."""
    nlp = build_nlp(settings.spacy_model)
    register = None
    try:
        from extraction.schools import SchoolRegister
    except ImportError:  # classify's module not there yet
        SchoolRegister = None  # type: ignore[assignment,misc]
    if SchoolRegister is not None:
        text = settings.school_register.read_text(encoding="utf-8-sig")
        register = SchoolRegister.from_csv_text(text)
    teams = settings.teams
    own = frozenset(a.lower() for a in (teams.cme, teams.ehe, teams.attendance, teams.reduced_hours))
    calibration = None
    calibration_json = getattr(settings, "calibration_json", None)  # a stored version's (ingest/versions.py)
    if calibration_json == NO_CALIBRATION:
        pass
    elif calibration_json is not None:
        calibration = Calibration.from_json(calibration_json)
    elif CALIBRATION_FILE.exists():
        calibration = Calibration.from_json(CALIBRATION_FILE.read_text(encoding="utf-8"))
    textcat = None
    textcat_dir = Path(getattr(settings, "textcat_dir", None) or TEXTCAT_DIR)
    if (textcat_dir / "meta.json").exists():
        import spacy

        textcat = spacy.load(textcat_dir)
    spancat = None
    spancat_dir = Path(getattr(settings, "spancat_dir", None) or SPANCAT_DIR)
    if (spancat_dir / "meta.json").exists():
        import spacy

        spancat = spacy.load(spancat_dir)
    return ExtractionContext(nlp=nlp, register=register, own_addresses=own, inbox=teams.cme.lower(),
                             calibration=calibration, textcat=textcat, spancat=spancat,
                             authserv_id=getattr(settings, "authserv_id", ""))
