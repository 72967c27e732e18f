"""Regression gate for TYP001/TYP002: a fixed slice of ECSpell odw.test and of the clean
government sentences, scored with scripts/eval_typos.py's metrics. Floors are the values
measured when the models were trained (models/MODEL_CARD.md) minus a small margin; the
gate only guards against silent degradation, it is not used to tune anything."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import eval_typos  # noqa: E402

ODW_SENTENCES = 200  # first N of odw.test
CLEAN_SENTENCES = 1000  # first N of the clean sentences
# Measured 2026-11-25 with the shipped models, the real-word rule and the common
# single-character-word rule: odw[:200] correction P 0.787 R 0.429 F1 0.555; clean[:1000]
# 5 sentences changed (0.5%).
FLOOR_CORRECTION_F1 = 0.53
FLOOR_CORRECTION_PRECISION = 0.76
CEILING_FALSE_ALARMS = 0.008  # share of clean sentences changed


def _pairs(name: str, limit: int):
    path = eval_typos.SETS[name]
    if not path.is_file():
        pytest.skip(f"shared evaluation data not found: {path} (set AUDITOR_SHARED_DATA)")
    return eval_typos.read_pairs(path)[:limit]


@pytest.fixture(scope="module")
def engine():
    from auditor.checks.typos.engine import typo_engine

    return typo_engine()


def test_odw_correction_does_not_regress(engine):
    pairs = _pairs("odw", ODW_SENTENCES)
    start = time.perf_counter()
    preds, _ = eval_typos.predict(engine, [s for s, _ in pairs])
    assert time.perf_counter() - start < 30
    p, r, f1 = eval_typos.standard_metrics([(s, t, q) for (s, t), q in zip(pairs, preds)])["correction"]
    assert f1 >= FLOOR_CORRECTION_F1, (p, r, f1)
    assert p >= FLOOR_CORRECTION_PRECISION, (p, r, f1)


def test_false_alarm_rate_does_not_regress(engine):
    pairs = _pairs("clean", CLEAN_SENTENCES)
    preds, _ = eval_typos.predict(engine, [s for s, _ in pairs])
    flagged = sum(1 for (s, _), q in zip(pairs, preds) if q != s)
    assert flagged / len(pairs) <= CEILING_FALSE_ALARMS, flagged
