"""The general-register word LM shipped in models/typos/open-gram.npz."""
import time

import numpy as np
import pytest

from auditor.checks.typos.wordlm import GeneralLM
from auditor.resources import MODELS


@pytest.fixture(scope="module")
def general():
    return GeneralLM.load(MODELS / "typos" / "open-gram.npz")


@pytest.mark.parametrize("right, wrong", [("在淘宝网上购物", "在陶宝网上购物"), ("他不但聪明而且", "他不旦聪明而且"),
                                          ("我们再次见面", "我们在次见面"), ("这种现象很普遍", "这种现像很普遍")])
def test_general_chinese_prefers_the_right_form(general, right, wrong):
    scores, _ = general.score_many([right, wrong])
    assert scores[0] > scores[1] + 2


def test_segmentation_and_odd_input(general):
    assert len(general.segment("中华人民共和国")) <= 3
    scores, words = general.score_many(["", "abc", "\x00\x00\x00", "１２３", "的"])
    assert np.isfinite(scores).all() and words[0] == 0 and scores[0] == 0


def test_loads_fast():
    t0 = time.perf_counter()
    GeneralLM.load(MODELS / "typos" / "open-gram.npz")
    assert time.perf_counter() - t0 < 1.0


def test_segment_many_is_the_same_programme_as_segment(general):
    texts = ["中华人民共和国国务院", "在失误招领处领取", "不旦要做好，而且要做快", "abc的１２３", "", "的",
             "\x00\x00", "我们的的工作", "陶宝网上的商品"]
    ids, counts = general.segment_many(texts)
    assert ids.tolist() == [w for t in texts for w in general.segment(t)]
    assert counts.tolist() == [len(general.segment(t)) for t in texts]
