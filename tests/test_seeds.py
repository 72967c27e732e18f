"""The real documents the project started from yield their text-integrity findings;
clean government pages yield none."""
from __future__ import annotations

from collections import Counter

import pytest

from auditor.ingest import read_path
from auditor.pipeline import Auditor

from support import HTML_DATA, SEEDS

EXPECTED_TXT = {
    "000": {"TXT002": 1, "TXT003": 1, "TXT010": 1},  # pinyin-annotated Traditional copy, "?," lost stop
    "001": {"TXT010": 1},  # Traditional copy of a Beijing notice
    "002": {"TXT007": 26},  # XX placeholders left in four county/city notices
    "003": {"TXT002": 1, "TXT003": 4, "TXT004": 1, "TXT006": 8, "TXT010": 1},  # injected tag, duplicated section
    "004": {},
}

CLEAN_GOV_PAGES = [
    HTML_DATA / "gne_tests" / "tests" / "shanxi" / "1.html",
    HTML_DATA / "gne_tests" / "tests" / "gzggw" / "1.html",
    HTML_DATA / "gne_tests" / "tests" / "other" / "1.html",
    *sorted((HTML_DATA / "cwced" / "original").glob("500b350d*.html")),
    *sorted((HTML_DATA / "cwced" / "original").glob("d232c5df*.html")),
    *sorted((HTML_DATA / "cwced" / "original").glob("e8847578*.html")),
]


@pytest.fixture(scope="module")
def txt_auditor():
    return Auditor(select=["TXT"])


@pytest.mark.parametrize("seed", sorted(EXPECTED_TXT))
def test_seed_findings(seed, txt_auditor):
    path = next(SEEDS.glob(f"{seed}_*.txt"))
    report = txt_auditor.audit(read_path(path))
    assert dict(Counter(f.code for f in report.findings)) == EXPECTED_TXT[seed]


def test_seed_003_duplicate_is_the_repeated_section(txt_auditor):
    report = txt_auditor.audit(read_path(next(SEEDS.glob("003_*.txt"))))
    dup = next(f for f in report.findings if f.code == "TXT004")
    assert "誰主管誰負責" in dup.text
    assert dup.evidence["original_start"] < dup.start


@pytest.mark.parametrize("page", CLEAN_GOV_PAGES, ids=lambda p: p.parent.name + "/" + p.name[:8])
def test_clean_government_pages_have_no_txt_findings(page, txt_auditor):
    report = txt_auditor.audit(read_path(page))
    assert report.findings == (), [(f.code, f.text) for f in report.findings]


@pytest.fixture(scope="module")
def typo_auditor():
    return Auditor(select=["TYP"])


@pytest.mark.parametrize("seed", ["000", "001", "003"])
def test_traditional_copies_are_not_typos_character_by_character(seed, typo_auditor):
    from auditor.text.traditional import traditional_positions

    report = typo_auditor.audit(read_path(next(SEEDS.glob(f"{seed}_*.txt"))))
    assert not [f.text for f in report.findings if traditional_positions(f.text)]  # 資 is not a typo for 资


def test_seed_typo_false_alarms_stay_away(typo_auditor):
    notice = typo_auditor.audit(read_path(next(SEEDS.glob("004_*.txt"))))
    assert not [f for f in notice.findings if f.text == "义"]  # 中医义诊 is right; 中医医诊 is no word
    traditional = typo_auditor.audit(read_path(next(SEEDS.glob("001_*.txt"))))
    assert not [f for f in traditional.findings if f.code == "TYP003"]  # 事事有落實、件件有反饋
