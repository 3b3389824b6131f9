"""Scoring records against labels: the labelled corpora's scorer, inside the repository.

The same metrics as the corpora's `score.py` (`python score.py preds.jsonl DIR`), which lives beside
the checkout on the machines the rules are written on and not on a fresh one: per-field precision,
recall and F1 after the contract's normalisation (children and parents paired by the values they
share), category and urgent accuracy, urgent recall, acknowledgement accuracy, the precision of
the records accepted without review and the review rate. `cme eval` prints `summary_line`.
Pure: no I/O.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Any

CATEGORIES = ["cme_referral", "roll_removal", "la_enquiry", "case_update", "ehe",
              "attendance", "reduced_hours", "auto_reply", "bounce", "other"]
REFERRER_FIELDS = ["name", "role", "organisation", "email", "phone", "type"]
CHILD_FIELDS = ["first_name", "last_name", "date_of_birth", "gender", "upn",
                "address.line1", "address.town", "address.postcode",
                "school.name", "school.urn", "date_last_attended"]
PARENT_FIELDS = ["name", "relationship", "phone", "email"]
# Fields a CME Officer can live without when judging auto-accept; everything else must be right.
SOFT_FIELDS = {"referrer.role", "referrer.organisation"}

TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "master"}
STREET = {"rd": "road", "ave": "avenue", "av": "avenue", "cl": "close", "dr": "drive",
          "ln": "lane", "cres": "crescent", "gdns": "gardens", "ct": "court", "pl": "place",
          "sq": "square", "tce": "terrace", "st": "street"}
GENDER = {"m": "male", "boy": "male", "male": "male", "f": "female", "girl": "female",
          "female": "female", "other": "other"}
RELATION = {"mum": "mother", "mom": "mother", "mummy": "mother", "mother": "mother",
            "dad": "father", "daddy": "father", "father": "father",
            "step-mother": "stepmother", "step mother": "stepmother", "stepmum": "stepmother",
            "stepmother": "stepmother", "step-father": "stepfather", "step father": "stepfather",
            "stepdad": "stepfather", "stepfather": "stepfather",
            "nan": "grandmother", "nana": "grandmother", "gran": "grandmother",
            "grandma": "grandmother", "grandmother": "grandmother",
            "grandad": "grandfather", "grandpa": "grandfather", "grandfather": "grandfather",
            "foster carer": "carer", "carer": "carer", "guardian": "guardian",
            "special guardian": "guardian", "aunt": "aunt", "auntie": "aunt", "uncle": "uncle",
            "other": "other"}


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace("&", " and ")
    text = re.sub(r"[^0-9a-z]+", " ", text)
    return " ".join(text.split())


def norm_name(v: str) -> str:
    words = fold(v).split()
    while words and words[0] in TITLES:
        words = words[1:]
    return " ".join(words)


def norm_line1(v: str) -> str:
    words = fold(v).split()
    return " ".join(STREET.get(w, w) if i == len(words) - 1 or w != "st" else w
                    for i, w in enumerate(words))


def norm_postcode(v: str) -> str:
    s = re.sub(r"\s+", "", v).upper()
    return f"{s[:-3]} {s[-3:]}" if len(s) > 3 else s


def norm_phone(v: str) -> str:
    d = re.sub(r"\D", "", v)
    if d.startswith("00"):
        d = d[2:]
    if d.startswith("44") and len(d) >= 12:
        rest = d[2:]
        d = rest if rest.startswith("0") else "0" + rest  # "+44 (0)7700 ..." keeps one 0
    return d


def norm_email(v: str) -> str:
    v = v.strip().lower()
    v = v.removeprefix("mailto:")
    return v.strip("<>").strip()


def norm_date(v: str) -> str:
    v = v.strip()
    return v if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) else "!" + v


NORMALISE = {
    "name": norm_name, "first_name": norm_name, "last_name": norm_name,
    "role": fold, "organisation": fold, "email": norm_email, "phone": norm_phone,
    "type": fold, "date_of_birth": norm_date, "date_last_attended": norm_date,
    "gender": lambda v: GENDER.get(fold(v), fold(v)),
    "upn": lambda v: re.sub(r"\s", "", v).upper(),
    "address.line1": norm_line1, "address.town": fold, "address.postcode": norm_postcode,
    "school.name": fold, "school.urn": lambda v: re.sub(r"\D", "", v),
    "relationship": lambda v: RELATION.get(fold(v), RELATION.get(v.strip().lower(), fold(v))),
    "case_reference": lambda v: re.sub(r"\s", "", v).upper(),
}


def value_of(node):
    """A prediction leaf is {value, confidence, source} or null; a label leaf is a plain value."""
    if isinstance(node, dict) and "value" in node:
        node = node["value"]
    if node is None:
        return None
    node = str(node).strip()
    return node or None


def get(record: dict | None, dotted: str):
    node = record
    for part in dotted.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return value_of(node)


def normalised(field: str, value):
    if value is None:
        return None
    key = field if field in NORMALISE else field.split(".")[-1]
    out = NORMALISE.get(key, fold)(value)
    return out or None


class Tally:
    def __init__(self):
        self.tp, self.fp, self.fn = Counter(), Counter(), Counter()

    def compare(self, field: str, predicted, expected) -> bool:
        p, e = normalised(field, predicted), normalised(field, expected)
        if p is None and e is None:
            return True
        if p is not None and p == e:
            self.tp[field] += 1
            return True
        if p is not None:
            self.fp[field] += 1
        if e is not None:
            self.fn[field] += 1
        return False

    def prf(self, fields=None):
        fields = fields or set(self.tp) | set(self.fp) | set(self.fn)
        tp = sum(self.tp[f] for f in fields)
        fp = sum(self.fp[f] for f in fields)
        fn = sum(self.fn[f] for f in fields)
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f, tp, fp, fn


def pair(predicted: list, expected: list, key_fields: list[str]):
    """Greedy pairing of predicted and labelled people by how many key fields agree."""
    scores = []
    for i, p in enumerate(predicted):
        for j, e in enumerate(expected):
            s = 0
            for f in key_fields:
                pv, ev = normalised(f, get(p, f)), normalised(f, get(e, f))
                if pv is not None and pv == ev:
                    s += 1
            scores.append((s, -i, -j, i, j))
    scores.sort(reverse=True)
    used_p, used_e, pairs = set(), set(), []
    for s, _, _, i, j in scores:
        if s == 0 or i in used_p or j in used_e:
            continue
        used_p.add(i), used_e.add(j)
        pairs.append((predicted[i], expected[j]))
    pairs += [(p, None) for i, p in enumerate(predicted) if i not in used_p]
    pairs += [(None, e) for j, e in enumerate(expected) if j not in used_e]
    return pairs


def score_message(pred: dict | None, label: dict, tally: Tally) -> dict:
    """Compare one record with its label; returns which fields were wrong."""
    pred = pred or {}
    wrong = []

    def cmp(field, p, e):
        if not tally.compare(field, p, e):
            wrong.append(field)

    for f in REFERRER_FIELDS:
        cmp(f"referrer.{f}", get(pred.get("referrer"), f), get(label.get("referrer"), f))
    cmp("case_reference", value_of(pred.get("case_reference")), value_of(label.get("case_reference")))
    for p, e in pair(pred.get("children") or [], label.get("children") or [],
                     ["first_name", "last_name", "date_of_birth"]):
        for f in CHILD_FIELDS:
            pv, ev = get(p, f), get(e, f)
            if f == "school.name" and pv is not None and ev is not None:
                pu, eu = normalised("school.urn", get(p, "school.urn")), normalised("school.urn", get(e, "school.urn"))
                if pu and pu == eu:
                    pv = ev  # the same school by URN: a register's newer name for it counts as right
            cmp(f"child.{f}", pv, ev)
    for p, e in pair(pred.get("parents_carers") or [], label.get("parents_carers") or [],
                     ["name", "phone", "email"]):
        for f in PARENT_FIELDS:
            cmp(f"parent.{f}", get(p, f), get(e, f))
    got = set(pred.get("safeguarding") or [])
    want = set(label.get("safeguarding") or [])
    for flag in got | want:
        cmp("safeguarding", flag if flag in got else None, flag if flag in want else None)
    return {
        "wrong": wrong,
        "category_ok": pred.get("category") == label.get("category"),
        "urgent_ok": bool(pred.get("urgent")) == bool(label.get("urgent")),
        "ack_ok": bool(pred.get("acknowledge")) == bool(label.get("acknowledge")),
    }


UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_valid(upn: str) -> bool:
    upn = upn.strip().upper()
    if not re.fullmatch(r"[A-Z]\d{11}[0-9A-Z]", upn):
        return False
    digits = {c: i for i, c in enumerate(UPN_LETTERS)}
    total = 0
    for weight, ch in zip(range(2, 14), upn[1:]):
        total += weight * (int(ch) if ch.isdigit() else digits.get(ch, 0))
    return UPN_LETTERS[total % 23] == upn[0]


def score(predictions: dict[str, dict[str, Any]], labels: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Metrics of `predictions` (records by name) against `labels` (labels by the same names)."""
    tally = Tally()
    confusion: Counter = Counter()
    n = len(labels)
    missing = cat_ok = urg_ok = ack_ok = accepted = accepted_ok = 0
    urgent_tp = urgent_fn = urgent_fp = 0
    errors = {}
    for stem, label in labels.items():
        pred = predictions.get(stem)
        if pred is None:
            missing += 1
        res = score_message(pred, label, tally)
        cat_ok += res["category_ok"]
        urg_ok += res["urgent_ok"]
        ack_ok += res["ack_ok"]
        confusion[(label.get("category"), (pred or {}).get("category"))] += 1
        lu, pu = bool(label.get("urgent")), bool((pred or {}).get("urgent"))
        urgent_tp += lu and pu
        urgent_fn += lu and not pu
        urgent_fp += pu and not lu
        hard_wrong = [f for f in res["wrong"] if f not in SOFT_FIELDS]
        if pred is not None and pred.get("needs_review") is False:
            accepted += 1
            accepted_ok += not hard_wrong and res["category_ok"] and res["urgent_ok"]
        if res["wrong"] or not res["category_ok"]:
            errors[stem] = {"category": (label.get("category"), (pred or {}).get("category")), "wrong": res["wrong"]}
    p, r, f1, *_ = tally.prf()
    fields = sorted(set(tally.tp) | set(tally.fp) | set(tally.fn))
    return {
        "messages": n,
        "missing_predictions": missing,
        "schema_invalid": sum(1 for rec in predictions.values() if rec.get("schema") != "cme-referral/1"),
        "field_precision": round(p, 4), "field_recall": round(r, 4), "field_f1": round(f1, 4),
        "field_f1_unrounded": f1,  # the summary line rounds this once, as the corpora's scorer does
        "category_accuracy": round(cat_ok / n, 4) if n else 0.0,
        "urgent_accuracy": round(urg_ok / n, 4) if n else 0.0,
        "urgent_recall": round(urgent_tp / (urgent_tp + urgent_fn), 4) if urgent_tp + urgent_fn else 1.0,
        "urgent_false_alarms": urgent_fp,
        "acknowledge_accuracy": round(ack_ok / n, 4) if n else 0.0,
        "auto_accept_precision": round(accepted_ok / accepted, 4) if accepted else None,
        "review_rate": round(1 - accepted / n, 4) if n else 0.0,
        "per_field": {fld: dict(zip(("precision", "recall", "f1", "tp", "fp", "fn"), tally.prf({fld})))
                      for fld in fields},
        "confusion": {f"{a}->{b}": c for (a, b), c in sorted(confusion.items(), key=str) if a != b},
        "errors": errors,
    }


def summary_line(metrics: dict[str, Any]) -> str:
    """The scorer's summary line."""
    aap = metrics["auto_accept_precision"]
    return (f"messages={metrics['messages']} missing={metrics['missing_predictions']} "
            f"schema_invalid={metrics['schema_invalid']} field_f1={metrics.get('field_f1_unrounded', metrics['field_f1']):.3f} "
            f"category_acc={metrics['category_accuracy']:.3f} urgent_recall={metrics['urgent_recall']:.3f} "
            f"ack_acc={metrics['acknowledge_accuracy']:.3f} "
            f"auto_accept_precision={'n/a' if aap is None else f'{aap:.3f}'} review_rate={metrics['review_rate']:.3f}")
