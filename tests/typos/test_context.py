"""The contextual character model (auditor/checks/typos/context.py): a place's prediction never
reads the character written there, reads no further than the towers reach, and the shipped
model prefers the right character of a plain 在/再 swap."""
from __future__ import annotations

import numpy as np
import pytest

from auditor.checks.typos.context import KERNEL, ContextModel
from auditor.resources import MODELS

SHIPPED = MODELS / "typos" / "context.npz"


def random_model(seed: int = 0) -> ContextModel:
    rng = np.random.default_rng(seed)
    d, alphabet, dilations = 8, "我们明天在再来看你他的书", (1, 2)
    v = len(alphabet) + 2
    arrays = {"alphabet": np.array(alphabet), "dilations": np.array(dilations), "embed": rng.normal(size=(v, d)),
              "join_w": rng.normal(size=(2 * d, d)), "join_b": rng.normal(size=d),
              "out_w": rng.normal(size=(v, d)), "out_b": rng.normal(size=v)}
    for side in "lr":
        for k in range(len(dilations)):
            arrays[f"{side}{k}_w"] = rng.normal(size=(KERNEL * d, d)) * 0.3
            arrays[f"{side}{k}_b"] = rng.normal(size=d)
    return ContextModel({k: np.asarray(a) for k, a in arrays.items()})


def test_a_place_never_reads_its_own_character():
    model = random_model()
    lp = model.log_probs(["我们明天在来看你", "我们明天再来看你"])
    assert np.allclose(lp[0, 4], lp[1, 4])
    assert not np.allclose(lp[0, 5], lp[1, 5])  # the neighbours do read it


def test_reach_is_the_towers_receptive_field():
    model = random_model()  # dilations 1, 2: each tower reads 1 + 2 * 3 = 7 characters on its side
    far = model.log_probs(["他我们明天在来看你的书书书", "你我们明天在来看你的书书书"])
    assert np.allclose(far[0, 8], far[1, 8])  # 8 places away
    near = model.log_probs(["他我们明天在来看你的书书书", "他我们明天在来看你的书书你"])
    assert np.allclose(near[0, 4], near[1, 4]) and not np.allclose(near[0, 6], near[1, 6])


def test_batch_padding_does_not_change_a_sentence():
    model = random_model()
    alone = model.log_probs(["我们在来"])[0]
    padded = model.log_probs(["我们在来", "我们明天再来看你他的书"])[0, :4]
    assert np.allclose(alone, padded, atol=1e-5)


def test_margins_are_log_odds_against_the_written_character():
    model = random_model()
    lp = model.log_probs(["我们明天在来看你"])[0, 4]
    m = model.margins([("我们明天在来看你", 4, "在再")])[0]
    ids = [model.ids["在"], model.ids["再"]]
    assert m[0] == 0.0 and np.isclose(m[1], lp[ids[1]] - lp[ids[0]], atol=1e-5)


@pytest.mark.skipif(not SHIPPED.is_file(), reason="context.npz is not shipped")
def test_shipped_model_prefers_the_right_character():
    model = ContextModel.load(SHIPPED)
    m = model.margins([("欢迎您下次在来参观指导。", 5, "在再"), ("他在北京工作。", 1, "在再")])
    assert m[0][1] > 0 and m[1][1] < 0
    assert SHIPPED.stat().st_size <= 40 * 1024 * 1024
