"""Resident ID numbers (居民身份证号码, GB 11643-1999): 6-digit division code + birth date +
sequence + MOD 11-2 check character; old 15-digit numbers have a YYMMDD date and no check."""
from __future__ import annotations

from datetime import date

from auditor.checks.privacy.number_recognizer import NumberRecognizer
from auditor.checks.privacy.numbers import Group, NumberRun, division_ok, id18_checksum_ok
from auditor.checks.privacy.recognizer import Candidate
from auditor.text import PreparedDocument


def birth_date(text: str) -> date | None:
    """A real date in YYYYMMDD, from 1900 up to today."""
    try:
        d = date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None
    return d if date(1900, 1, 1) <= d <= date.today() else None


class ResidentIdCard(NumberRecognizer):
    kind = "id_card"
    lengths = frozenset({15, 18})
    top_score = 0.95
    context = ("身份证", "证件号", "身份号码", "公民身份", "证号", "身份证号")

    def classify(self, doc: PreparedDocument, run: NumberRun, groups: tuple[Group, ...],
                 digits: str) -> Candidate | None:
        if len(digits) == 15:
            if not digits.isdigit() or digits[0] == "0":
                return None
            born = birth_date("19" + digits[6:12])
            if born is None or not division_ok(digits[:6], born.year):
                return None
            return self.candidate(groups, 0.7, form="15", birth=born.isoformat())
        if not digits[:17].isdigit() or digits[0] == "0":
            return None
        born = birth_date(digits[6:14])
        if born is None:
            return None
        checksum = id18_checksum_ok(digits)
        division = division_ok(digits[:6], born.year)
        if checksum and division:
            return self.candidate(groups, 0.95, form="18", checksum=True, division=True, birth=born.isoformat())
        if checksum or division:
            # ID-shaped with one failed check: a typo'd ID is still a leak risk.
            return self.candidate(groups, 0.55, state="suspect", form="18", checksum=checksum, division=division,
                                  birth=born.isoformat())
        return None
