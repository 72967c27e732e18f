"""Every rule's examples are its tests (one generic test, LanguageTool-style)."""
from __future__ import annotations

import pytest

from auditor.checks.base import CODE_RE
from auditor.checks.registry import all_rules, discover_checks
from auditor.pipeline import Auditor

RULES = all_rules()


def test_codes_and_names_unique_and_documented():
    codes = [r.code for r in RULES]
    names = [r.name for r in RULES]
    assert len(codes) == len(set(codes))
    assert len(names) == len(set(names))
    for r in RULES:
        assert CODE_RE.match(r.code)
        for field in ("message", "what", "why", "fix", "source"):
            assert getattr(r, field).strip(), f"{r.code} has no {field}"
        if r.status != "removed":
            assert r.bad, f"{r.code} has no bad example"
            assert r.good, f"{r.code} has no good example"


@pytest.fixture(scope="module")
def auditors():
    cache = {}

    def get(code):
        if code not in cache:
            cache[code] = Auditor(select=[code])
        return cache[code]

    return get


@pytest.mark.parametrize("rule", [r for r in RULES if r.status != "removed"], ids=lambda r: r.code)
def test_examples(rule, auditors):
    auditor = auditors(rule.code)
    for example in rule.bad:
        doc, spans = example.document()
        hits = [f for f in auditor.audit(doc).findings if f.code == rule.code]
        found = sorted((f.start, f.end) for f in hits)
        assert found == sorted(spans), f"{rule.code} bad example {example.text!r}: found {found}, expected {spans}"
        if example.suggestion is not None:
            assert all(example.suggestion in f.suggestions for f in hits), [f.suggestions for f in hits]
    for example in rule.good:
        doc, _ = example.document()
        hits = [f for f in auditor.audit(doc).findings if f.code == rule.code]
        assert not hits, f"{rule.code} good example {example.text!r} flagged: {[f.text for f in hits]}"


def test_every_family_registers_checks():
    families = {r.family for r in RULES}
    assert "TXT" in families
    assert all(c.rules for c in discover_checks())
