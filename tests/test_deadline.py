"""The last day to complain moves off closed days (issue 9, point 7).

The expected days are computed by hand from the calendar, not by the code under test:
4 weeks after receipt; Digital Post is received on the decision date, ordinary post 6 working
days later (weekends and helligdage skipped); a last day on a Saturday, Sunday, helligdag,
grundlovsdag (5 June), 24 or 31 December moves to the next day that is none of them.
2026: Easter Sunday 5 April (skærtorsdag 2, langfredag 3, 2. påskedag 6), Ascension 14 May,
2. pinsedag 25 May, grundlovsdag Friday 5 June, 24-27 December Thursday-Sunday, 1 January 2027
a Friday. 2027: Easter Sunday 28 March, grundlovsdag a Saturday.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from standardgen.core.dates import long_date

ROOT = Path(__file__).resolve().parent.parent
GRANTED = (ROOT / "examples" / "cases" / "bevilget.yaml").read_text(encoding="utf-8")
STANDARDS = ROOT / "standards"

D = dt.date
TABLE = [
    # (channel, decision, last day to complain)
    ("digital_post", D(2026, 11, 27), D(2026, 12, 28)),  # 25 Dec, then 26-27 closed
    ("digital_post", D(2026, 11, 26), D(2026, 12, 28)),  # 24 Dec
    ("digital_post", D(2026, 12, 3), D(2027, 1, 4)),     # 31 Dec, 1 Jan, weekend
    ("digital_post", D(2026, 12, 4), D(2027, 1, 4)),     # 1 Jan
    ("digital_post", D(2026, 12, 2), D(2026, 12, 30)),   # an ordinary Wednesday
    ("digital_post", D(2026, 3, 5), D(2026, 4, 7)),      # skærtorsdag to 2. påskedag
    ("digital_post", D(2026, 3, 9), D(2026, 4, 7)),      # 2. påskedag
    ("digital_post", D(2026, 4, 16), D(2026, 5, 15)),    # Kristi himmelfartsdag
    ("digital_post", D(2026, 4, 27), D(2026, 5, 26)),    # 2. pinsedag
    ("digital_post", D(2026, 5, 8), D(2026, 6, 8)),      # grundlovsdag (a Friday), weekend
    ("digital_post", D(2026, 5, 9), D(2026, 6, 8)),      # a Saturday
    ("digital_post", D(2026, 5, 7), D(2026, 6, 4)),      # the day before grundlovsdag
    ("digital_post", D(2027, 2, 25), D(2027, 3, 30)),    # Easter 2027
    ("digital_post", D(2027, 5, 8), D(2027, 6, 7)),      # grundlovsdag on a Saturday
    ("digital_post", D(2026, 1, 15), D(2026, 2, 12)),    # an ordinary Thursday
    ("post", D(2026, 11, 19), D(2026, 12, 28)),          # received 27 Nov: 25 Dec
    ("post", D(2026, 11, 25), D(2027, 1, 4)),            # received 3 Dec: 31 Dec
    ("post", D(2026, 11, 26), D(2027, 1, 4)),            # received 4 Dec: 1 Jan
    ("post", D(2026, 2, 25), D(2026, 4, 7)),             # received 5 Mar: skærtorsdag
    ("post", D(2026, 3, 31), D(2026, 5, 11)),            # received 13 Apr (Easter skipped)
    ("post", D(2026, 4, 8), D(2026, 5, 15)),             # received 16 Apr: Ascension
    ("post", D(2026, 4, 17), D(2026, 5, 26)),            # received 27 Apr: 2. pinsedag
    ("post", D(2026, 4, 30), D(2026, 6, 8)),             # received 8 May: grundlovsdag
]


@pytest.fixture(scope="module")
def build() -> object:
    from standardgen.cases.wording import load_wording
    from standardgen.standards.catalogue import load_catalogue

    standards = {s.slug: s for s in load_catalogue([STANDARDS]).standards}
    return standards, load_wording()


@pytest.mark.parametrize(("channel", "decision", "last"), TABLE,
                         ids=[f"{c}-{d}" for c, d, _ in TABLE])
def test_last_day_to_complain(tmp_path: Path, build: tuple[dict[str, object], object],
                              channel: str, decision: dt.date, last: dt.date) -> None:
    from standardgen.cases.read import load_cases
    from standardgen.letters.content import build_letter
    from standardgen.letters.letter import as_data

    case = tmp_path / "case.yaml"
    case.write_text(GRANTED.replace("decision_date: 2026-03-02", f"decision_date: {decision}")
                    .replace("channel: digital_post", f"channel: {channel}")
                    .replace("start_date: 2026-03-16", f"start_date: {decision}")
                    .replace("due: 2027-03-01", "due: 2099-01-01"), encoding="utf-8")
    batch = load_cases([case])
    assert batch.cases, batch.problems
    standards, wording = build
    source = batch.cases[0]
    letter = build_letter(source.case, standards[source.case.standard], wording)  # type: ignore[arg-type]
    text = json.dumps(as_data(letter), ensure_ascii=False)
    assert f"Sidste dag for klage er derfor den {long_date(last)}." in text
