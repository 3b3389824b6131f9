"""Build the bundled school register from a GIAS extract and the earlier registers.

    python tools/register.py GIAS.csv PREVIOUS.csv [PREVIOUS.csv ...] [-o OUT.csv]

The bundled register, config/schools-hampshire-and-neighbours.csv, was built with

    python tools/register.py /work/shared/data/schools-hampshire-and-neighbours.csv \\
        /work/shared/data/schools-hampshire.csv -o config/schools-hampshire-and-neighbours.csv

from GIAS's "every open establishment of Hampshire and its neighbours" (2025-07-18) and the project's
earlier, smaller Hampshire list (the file config/schools-hampshire.csv was until then). People keep
writing a school's old name for years, so nothing an earlier register knew is dropped:

- every row of GIAS.csv is copied as it is, in its column order;
- a URN of PREVIOUS.csv that GIAS.csv does not have (a closed school, mostly an academy conversion that
  got a new URN) is kept as a closed school: the columns PREVIOUS.csv has, EstablishmentStatus "Closed"
  (code 2). The earlier list's "TypeOfEstablishment (name)" column holds GIAS's group names
  ("Academies"): such a value goes to "EstablishmentTypeGroup (name)";
- a URN of both whose name in PREVIOUS.csv differs from GIAS's by more than apostrophes, case, spacing
  or a leading "The" (a renamed school: "Bay House School" is now "King's Academy Bay House") keeps the
  old name in "PreviousNames", the one column that is not GIAS's (names separated by " | "), together
  with the previous names PREVIOUS.csv itself lists.

To refresh the register from a newer GIAS extract, give the bundled register itself as PREVIOUS.csv:
its closed schools and previous names carry over, and the schools closed since join them.
extraction/schools.py reads the result; how it matches closed schools and previous names is said there.
"""
from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extraction.schools import PREVIOUS_NAMES, normalise_name  # noqa: E402

DEFAULT_OUT = ROOT / "config" / "schools-hampshire-and-neighbours.csv"
CLOSED = {"EstablishmentStatus (code)": "2", "EstablishmentStatus (name)": "Closed"}
SEPARATOR = " | "


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
    columns = [c.strip() for c in reader.fieldnames or []]
    rows = [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]
    for column in ("URN", "EstablishmentName"):
        if column not in columns:
            raise SystemExit(f"{path}: no {column} column")
    return columns, [r for r in rows if r["URN"] and r["EstablishmentName"]]


def _same_name(a: str, b: str) -> bool:
    strip_the = lambda n: normalise_name(n).removeprefix("the ")  # noqa: E731
    return strip_the(a) == strip_the(b)


def _names(row: dict[str, str]) -> list[str]:
    return [n.strip() for n in (row.get(PREVIOUS_NAMES) or "").split("|") if n.strip()]


def build(gias: Path, previous: list[Path]) -> tuple[list[str], list[dict[str, str]]]:
    columns, rows = _read(gias)
    if PREVIOUS_NAMES not in columns:
        columns.append(PREVIOUS_NAMES)
    by_urn = {r["URN"]: r for r in rows}
    groups = {r.get("EstablishmentTypeGroup (name)", "") for r in rows} - {""}
    closed: dict[str, dict[str, str]] = {}
    for path in previous:
        _, old_rows = _read(path)
        for old in old_rows:
            urn = old["URN"]
            current = by_urn.get(urn) or closed.get(urn)
            if current is None:
                row = {c: old.get(c, "") for c in columns}
                kind = old.get("TypeOfEstablishment (name)", "")
                if kind in groups and not old.get("EstablishmentTypeGroup (name)"):
                    row["TypeOfEstablishment (name)"], row["EstablishmentTypeGroup (name)"] = "", kind
                if row.get("EstablishmentStatus (name)", "") in ("", "Open", "Open, but proposed to close"):
                    row.update(CLOSED)  # gone from the current extract: closed since
                closed[urn] = row
                continue
            known = [current["EstablishmentName"], *_names(current)]
            for name in [old["EstablishmentName"], *_names(old)]:
                if not any(_same_name(name, k) for k in known):
                    known.append(name)
            current[PREVIOUS_NAMES] = SEPARATOR.join(known[1:])
    for row in rows:
        row.setdefault(PREVIOUS_NAMES, "")
    return columns, rows + sorted(closed.values(), key=lambda r: (r["EstablishmentName"].lower(), r["URN"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gias", type=Path, help="GIAS-layout extract of the current establishments")
    parser.add_argument("previous", type=Path, nargs="+", help="earlier registers whose schools are kept")
    parser.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT, help=f"default: {DEFAULT_OUT}")
    args = parser.parse_args(argv)
    columns, rows = build(args.gias, args.previous)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({c: r.get(c, "") for c in columns} for r in rows)
    args.out.write_text(out.getvalue(), encoding="utf-8")
    n_closed = sum(1 for r in rows if r.get("EstablishmentStatus (name)") == "Closed")
    n_renamed = sum(1 for r in rows if r.get(PREVIOUS_NAMES))
    print(f"{args.out}: {len(rows)} schools ({n_closed} closed, {n_renamed} with previous names)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
