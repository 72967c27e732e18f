"""Fuzzing the draft readers and the HTML path: whatever the bytes, only IngestError escapes,
every finding of the whole audit lies inside the text, and the readers' memory stays under
500 MB. Bounded for CI: about half a minute on two shared cores, nothing skipped."""
from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor import Auditor
from auditor.ingest import IngestError, read_bytes
from auditor.ingest.html import extract_html
from auditor.types import Document

from hostile import hostile_page, mutate_docx, random_input, tag_soup

FUZZ = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SUFFIXES = (".docx", ".txt", ".md", ".html", None)


@pytest.fixture(scope="module")
def auditor() -> Auditor:
    return Auditor().load()


def audited(auditor: Auditor, document: Document) -> None:
    report = auditor.audit(document)
    n = len(report.document.text)
    for f in report.findings:
        assert 0 <= f.start <= f.end <= n, (f.code, f.start, f.end, n)
        assert f.start == f.end or report.document.text[f.start:f.end] == f.text, f.code


def read_or_refuse(data: bytes, suffix: str | None) -> Document | None:
    try:
        return read_bytes(data, name="fuzz" + (suffix or ""), suffix=suffix)
    except IngestError as exc:
        assert "\n" not in str(exc) and str(exc)
        return None


@FUZZ
@given(rng=st.randoms(use_true_random=False))
def test_mutated_word_drafts(auditor, rng: random.Random):
    document = read_or_refuse(mutate_docx(rng), ".docx")
    if document is not None:
        audited(auditor, document)


@FUZZ
@given(rng=st.randoms(use_true_random=False), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_under_any_name(auditor, rng: random.Random, suffix: str | None):
    document = read_or_refuse(random_input(rng), suffix)
    if document is not None:
        audited(auditor, document)


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_arbitrary_bytes(auditor, data: bytes, suffix: str | None):
    document = read_or_refuse(data, suffix)
    if document is not None:
        audited(auditor, document)


@FUZZ
@given(rng=st.randoms(use_true_random=False))
def test_hostile_pages(auditor, rng: random.Random):
    document = read_or_refuse(hostile_page(rng), ".html")
    if document is not None:
        audited(auditor, document)
    try:
        document = extract_html(tag_soup(rng), url="https://www.example.gov.cn/art_1.html")
    except IngestError:
        return
    audited(auditor, document)


@FUZZ
@given(text=st.text(max_size=2000))
def test_arbitrary_text_as_a_page_and_as_a_draft(auditor, text: str):
    try:
        audited(auditor, extract_html(text))
    except IngestError:
        pass
    audited(auditor, Document(text=text, provenance={"kind": "draft"}))


def test_readers_stay_under_500_mb():
    """The heaviest inputs under the caps, then 100 seeded mutations, in a fresh process."""
    tests = Path(__file__).parent
    result = subprocess.run([sys.executable, "-W", "ignore", str(tests / "hostile.py"), "100"], cwd=tests,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert float(result.stdout.strip()) < 500
