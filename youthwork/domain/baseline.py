"""The borough's population by ethnicity, sex and age band (ONS census, as a small CSV the organisation loads), the
baseline the fair figures' rates are worked out against. It holds counts of residents, nothing about anyone.

The CSV has a header row with `ethnicity`, `sex`, `age_band` and `population` (or `observation`, as ONS's custom
datasets call it). Ethnicity and age band may be given as youthwork's codes or as their words ("Black – Caribbean",
"10–13"); sex is Female or Male.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from youthwork.domain.errors import ShownError
from youthwork.domain.policy import SUPERVISORS, RecordPolicy, declare
from youthwork.domain.records import Record
from youthwork.domain.vocab import AgeBand, Ethnicity


class BadBaseline(ShownError):
    """A baseline CSV that can't be read; the message says which line and why."""


@dataclass(slots=True, kw_only=True)
class PopulationBaseline(Record):
    TABLE: ClassVar[str] = "population_baselines"

    name: str = ""  # e.g. "Borough residents aged 10-24, Census 2021"
    source: str = ""
    loaded_on: date | None = None
    rows: list[list[Any]] = field(default_factory=list)  # [ethnicity, sex, age_band, population]


def _norm(text: str) -> str:
    return " ".join(text.replace("–", "-").replace("—", "-").lower().split())


def _lookup(vocab: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in vocab:
        out[_norm(m.value)] = m.value
        out[_norm(m.label)] = m.value
    return out


def parse_baseline_csv(text: str) -> list[list[Any]]:
    """A baseline CSV's rows as [ethnicity, sex, age band, population] codes; BadBaseline if unreadable."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    heads = {_norm(h or ""): h for h in reader.fieldnames or []}
    count_col = heads.get("population") or heads.get("observation") or heads.get("count")
    missing = [h for h in ("ethnicity", "sex", "age_band") if h not in heads]
    if missing or count_col is None:
        raise BadBaseline(
            "The baseline CSV needs the columns ethnicity, sex, age_band and population"
            f" (missing: {', '.join(missing + ([] if count_col else ['population']))})."
        )
    eth, ages = _lookup(Ethnicity), _lookup(AgeBand)
    sexes = {"female": "female", "f": "female", "male": "male", "m": "male"}
    rows: list[list[Any]] = []
    for n, r in enumerate(reader, start=2):
        e = eth.get(_norm(r[heads["ethnicity"]] or ""))
        s = sexes.get(_norm(r[heads["sex"]] or ""))
        a = ages.get(_norm(r[heads["age_band"]] or ""))
        raw = (r[count_col] or "").replace(",", "").strip()
        if e is None or s is None or a is None or not raw.isdigit():
            what = "ethnicity" if e is None else "sex" if s is None else "age band" if a is None else "population"
            raise BadBaseline(f"Line {n} of the baseline CSV: the {what} is not one youthwork knows.")
        rows.append([e, s, a, int(raw)])
    if not rows:
        raise BadBaseline("The baseline CSV has no rows.")
    return rows


declare(
    RecordPolicy(
        PopulationBaseline,
        "population baselines",
        roles=SUPERVISORS,  # loaded by a supervisor for the board's figures
        person_field=None,  # counts of residents: about no one
    )
)
