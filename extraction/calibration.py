"""Confidence as a measured probability, and the auto-accept threshold with its measured error rate.

The finders give each value a raw score (the kind of source, a validator passing, agreement) and
the id of their rule. `fit` learns, from labelled messages, the probability that a value is right
given its field, rule, part and raw score (a logistic regression: steadier than isotonic
regression on a few hundred labels); `Calibration.probability` applies it with no library.
`choose_threshold` picks the lowest threshold whose auto-accepted records are right at the target
precision on messages *not* used to fit, and reports the 95% upper bound of the error rate
(Clopper-Pearson) beside it. The fitted model is a data file, `config/calibration.json`, with the
report that justified it.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping, Sequence

from config.phrasebook import finder_rule
from extraction.grading import SOFT_FIELDS, Outcome
from extraction.model import Address, Child, ParentCarer, Referrer, School

DEFAULT_THRESHOLD = 0.85  # used only before any calibration has been fitted
MIN_RULE_COUNT = 5  # a rule seen fewer times than this when fitting is judged by its field and score alone


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def _part_kind(part: str) -> str:
    return "attachment" if part.startswith("attachment:") else part


def features(path: str, rule: str, part: str, score: float,
             evidence: Mapping[str, Any] | None = None) -> dict[str, float]:
    """The evidence a value's probability is judged on; with `evidence`, its finding's features too."""
    generic = path.replace("child.", "").replace("parent.", "").replace("referrer.", "")
    return {"score": _logit(score), f"field={path}": 1.0, f"kind={generic}": 1.0, f"rule={rule}": 1.0,
            f"part={_part_kind(part)}": 1.0, **evidence_features(evidence)}


def evidence_features(evidence: Mapping[str, Any] | None) -> dict[str, float]:
    """A finding's evidence (extraction/findings.py) as the model would read it: the kind of source, each
    validator's result (+1 passed, -1 failed), the form label's presence, the count of agreeing findings (0, 1,
    2 or more) and whether the value came from another mention merged in. The shipped model was fitted without
    them (`fit` gives none: a graded record does not carry them), so they weigh nothing until a model is."""
    if not evidence:
        return {}
    out = {f"source={evidence.get('source')}": 1.0, "agreement": float(min(int(evidence.get("agreement") or 0), 2))}
    out.update({f"check={name}": 1.0 if ok else -1.0 for name, ok in (evidence.get("checks") or {}).items()})
    if evidence.get("cue"):
        out["labelled"] = 1.0
    if evidence.get("merged"):
        out["merged"] = 1.0
    return out


@dataclass(frozen=True)
class Calibration:
    weights: dict[str, float]
    intercept: float
    threshold: float = DEFAULT_THRESHOLD
    report: dict[str, Any] = field(default_factory=dict)

    def probability(self, path: str, rule: str | None, part: str, score: float,
                    evidence: Mapping[str, Any] | None = None) -> float:
        """P(value right | its field, rule, part and raw score, and its finding's evidence features where the
        model has weights for them); a rule not seen when fitting is judged as the rule it refines
        ("places.read_schools.named.one_school" as "places.read_schools"), and one with no such parent counts as
        rare. A rule is the finder's: the phrase named after it (`config.phrasebook.rule_with_phrase`) is left out."""
        rule = self.known_rule(finder_rule(rule)) if rule else "rare"
        z = self.intercept + sum(self.weights.get(k, 0.0) * v
                                 for k, v in features(path, rule, part, score, evidence).items())
        return round(1.0 / (1.0 + math.exp(-z)), 3)

    def known_rule(self, rule: str) -> str:
        """`rule`, or the nearest rule it refines that the model has a weight for, or "rare"."""
        while f"rule={rule}" not in self.weights:
            if "." not in rule:
                return "rare"
            rule = rule.rsplit(".", 1)[0]
        return rule

    def to_json(self) -> str:
        return json.dumps({"model": "logistic", "intercept": self.intercept, "threshold": self.threshold,
                           "weights": dict(sorted(self.weights.items())), "report": self.report}, indent=1)

    @classmethod
    def from_json(cls, text: str) -> "Calibration":
        d = json.loads(text)
        return cls({k: float(v) for k, v in d["weights"].items()}, float(d["intercept"]),
                   float(d.get("threshold", DEFAULT_THRESHOLD)), d.get("report") or {})


def fit(outcomes: Sequence[Outcome], c: float = 1.0) -> Calibration:
    """A logistic regression of "right" on each value's features (rules seen too rarely pooled)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts: dict[str, int] = {}
    for o in outcomes:
        counts[finder_rule(o.rule)] = counts.get(finder_rule(o.rule), 0) + 1
    rows = [features(o.path, finder_rule(o.rule) if counts[finder_rule(o.rule)] >= MIN_RULE_COUNT else "rare", o.part,
                     o.confidence) for o in outcomes]
    y = [int(o.right) for o in outcomes]
    if len(set(y)) < 2:
        raise ValueError("calibration needs both right and wrong values to learn from")
    vec = DictVectorizer(sparse=False)
    x = vec.fit_transform(rows)
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(x, y)
    weights = {name: round(float(w), 5) for name, w in zip(vec.get_feature_names_out(), model.coef_[0]) if w}
    return Calibration(weights, round(float(model.intercept_[0]), 5))


def reliability(probs: Sequence[float], right: Sequence[bool], bins: int = 10
                ) -> tuple[list[tuple[float, float, int, float, float]], float]:
    """(rows, ECE): per bin (low, high, count, mean probability, share right), and the expected
    calibration error, the count-weighted mean gap between the two."""
    rows, ece, n = [], 0.0, len(probs)
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, p in enumerate(probs) if lo <= p < hi or (b == bins - 1 and p == 1.0)]
        if not idx:
            continue
        mean_p = sum(probs[i] for i in idx) / len(idx)
        acc = sum(1 for i in idx if right[i]) / len(idx)
        rows.append((lo, hi, len(idx), mean_p, acc))
        ece += len(idx) / n * abs(mean_p - acc)
    return rows, ece


def error_upper_bound(errors: int, n: int, confidence: float = 0.95) -> float:
    """One-sided Clopper-Pearson upper bound of an error rate seen as `errors` in `n`."""
    if n == 0:
        return 1.0
    if errors >= n:
        return 1.0
    from scipy.stats import beta

    return float(beta.ppf(confidence, errors + 1, n - errors))


@dataclass(frozen=True)
class GateRow:
    threshold: float
    accepted: int
    wrong: int
    records: int

    @property
    def precision(self) -> float:
        return (self.accepted - self.wrong) / self.accepted if self.accepted else 1.0

    @property
    def review_rate(self) -> float:
        return 1 - self.accepted / self.records if self.records else 1.0


def gate_table(records: Iterable[tuple[bool, float, bool]], thresholds: Iterable[float]) -> list[GateRow]:
    """For each threshold, how many records pass the gate and how many of those are wrong. A record is
    (blocked by a structural reason, its lowest value probability, wholly right)."""
    recs = list(records)
    out = []
    for t in thresholds:
        passed = [right for blocked, low, right in recs if not blocked and low >= t]
        out.append(GateRow(t, len(passed), sum(1 for r in passed if not r), len(recs)))
    return out


def choose_threshold(rows: Sequence[GateRow], target: float = 0.99) -> GateRow:
    """The lowest threshold whose measured precision meets `target` (the strictest row when none does)."""
    meeting = [r for r in rows if r.precision >= target]
    return min(meeting, key=lambda r: r.threshold) if meeting else max(rows, key=lambda r: r.threshold)


BOUND_RECORDS = 300  # about this many accepted records without error put the 95% bound under 1%


def choose_gate(rows: Sequence[GateRow], target: float = 0.99, max_error: float = 0.01) -> tuple[GateRow, str]:
    """The threshold `cme calibrate` keeps, and by which rule: the lowest one whose auto-accepted records'
    95% upper bound of the error rate stays below `max_error` (rule "bound": it takes about 300 accepted
    records without error), and before there are labels enough for that, the lowest whose measured
    precision stays at or above `target` (rule "precision", `choose_threshold`)."""
    bounded = [r for r in rows if r.accepted and error_upper_bound(r.wrong, r.accepted) < max_error]
    if bounded:
        return min(bounded, key=lambda r: r.threshold), "bound"
    return choose_threshold(rows, target), "precision"


def lowest_probability(record: dict[str, Any]) -> float:
    """The lowest confidence among the hard values a record gives (1.0 when it gives none)."""
    lows = [1.0]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "confidence" in node and "value" in node:
                lows.append(float(node["confidence"]))
                return
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    referrer = {k: v for k, v in (record.get("referrer") or {}).items() if f"referrer.{k}" not in SOFT_FIELDS}
    walk({"referrer": referrer, "children": record.get("children"), "parents": record.get("parents_carers")})
    return min(lows)


def _recalibrated(cal: Calibration, path: str, f: Any) -> Any:
    if f is None:
        return None
    p = cal.probability(path, f.source.rule, f.source.part, f.confidence, f.evidence)
    return replace(f, confidence=p)


def _each(cal: Calibration, obj: Any, prefix: str) -> Any:
    changes = {}
    for name in obj.__dataclass_fields__:
        v = getattr(obj, name)
        if isinstance(v, (Address, School)):
            changes[name] = _each(cal, v, f"{prefix}.{name}")
        else:
            changes[name] = _recalibrated(cal, f"{prefix}.{name}", v)
    return replace(obj, **changes)


def apply(cal: Calibration, referrer: Referrer, children: tuple[Child, ...], parents: tuple[ParentCarer, ...]
          ) -> tuple[Referrer, tuple[Child, ...], tuple[ParentCarer, ...]]:
    """Every value's raw score replaced by its calibrated probability."""
    return (_each(cal, referrer, "referrer"), tuple(_each(cal, c, "child") for c in children),
            tuple(_each(cal, p, "parent") for p in parents))
