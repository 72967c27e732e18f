"""The real-word confusion model (auditor/checks/typos/confusables.py, reported as TYP001): its
features never read the written character, its sets are symmetric, and the shipped model
corrects a plain 已/己 swap without touching the right sentence or a quoted title."""
from __future__ import annotations

import numpy as np
import pytest

from auditor.checks.typos.confusables import DIM, candidate_sets, conjoin
from auditor.resources import MODELS


@pytest.fixture(scope="module")
def engine():
    from auditor.checks.typos.engine import typo_engine

    return typo_engine()


def test_sets_are_symmetric():
    rivals = candidate_sets(["在再", "以已", "已己"])
    assert rivals == {"在": "再", "再": "在", "以": "已", "已": "以己", "己": "已"}


def test_conjoined_ids_differ_by_candidate_and_stay_in_range():
    base = np.array([1, 2, 3, 2 ** 32 - 1], dtype=np.uint32)
    a, b, shared = conjoin(base, "在"), conjoin(base, "再"), conjoin(base, 0)
    assert (a != b).all() and (a != shared).all()
    assert all(0 <= x < DIM for x in np.concatenate([a, b, shared]))


def test_features_never_read_the_written_character(engine):
    model = engine.confusables
    one, other = "我们明天在来看你", "我们明天再来看你"
    for x, y in zip(model.rows(one, 4, "在再"), model.rows(other, 4, "在再")):
        assert np.array_equal(x, y)


def test_model_is_small():
    assert (MODELS / "typos" / "confusables.npz").stat().st_size <= 40 * 1024 * 1024


def test_real_word_swap_is_corrected_and_right_text_is_left(engine):
    found = engine.confusion_typos_many(["他把自已的书借给了同学。", "他把自己的书借给了同学。"])
    assert [(t.start, t.wrong, t.right, t.kind) for t in found[0]] == [(3, "已", "己", "confusion")]
    assert found[1] == []
    # 在→再 is scored but its calibrated margin is above what this sentence reaches.
    assert engine.confusion_typos_many(["欢迎您下次在来参观指导。"])[0] == []
    assert [t.right for t in engine.confusion_typos_many(["欢迎您下次在来参观指导。"], margin=0.0)[0]] == ["再"]


def test_titles_and_short_quotations_are_left_alone(engine):
    texts = ["他读了《自已的书》一书。", "所谓“自已”是错字。", "他读了自已的书。"]
    found = [{t.wrong for t in ts} for ts in engine.confusion_typos_many(texts, margin=0.0)]
    assert "已" not in found[0] and "已" not in found[1] and "已" in found[2]


def test_reported_as_a_warning_level_wrong_character():
    from auditor import Auditor, Document

    [f] = Auditor(select=["TYP001"]).audit(Document(text="他把自已的书借给了同学。")).findings
    assert (f.code, f.text, f.suggestions, f.severity.value) == ("TYP001", "已", ("己",), "warning")
    assert f.evidence["kind"] == "confusion" and f.evidence["corrected"] == "把自己的书"
    assert f.message == "疑似错别字：“把自已的书”中的“已”应为“己”"


def test_news_parts_keep_the_held_out_tenth_apart():
    """People's Daily: part 0 is eval_typos.py's news_clean set; the training scripts calibrate on
    NEWS_DEV_PARTS and may train on NEWS_TRAIN_PARTS, never on a sentence of the other two."""
    import sys

    sys.path.insert(0, str(MODELS.parent / "scripts"))
    from eval_typos import NEWS_DEV_PARTS, NEWS_TRAIN_PARTS, news_held_out, news_part

    dev, train = set(NEWS_DEV_PARTS), set(NEWS_TRAIN_PARTS)
    assert 0 not in dev | train and not dev & train and dev | train == set(range(1, 10))
    for s in ("中共中央总书记、国家主席江泽民发表新年讲话。", "新华社北京一月一日电。", "他把自已的书借给了同学。"):
        assert news_held_out(s) == (news_part(s) == 0) and 0 <= news_part(s) < 10
