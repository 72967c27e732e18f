"""The contextual character model (auditor/checks/typos/context.py): a place's prediction never
reads the character written there and reads no further than the towers reach; the confusion
model adds the weighted margin only where a rival is near. (No trained context model ships: see
models/MODEL_CARD.md.)"""
from __future__ import annotations

import numpy as np

from auditor.checks.typos.context import KERNEL, ContextModel


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


def test_confusion_model_adds_the_weighted_margin_only_near_a_rival():
    from auditor.checks.typos.confusables import CONTEXT_FLOOR
    from auditor.checks.typos.engine import typo_engine

    model = typo_engine().confusables
    context = random_model()
    places = [("我们明天在来看你", 4, "在再"), ("我们在北京看你", 2, "在再")]
    plain = model.scores_many(places)
    model.context, model.context_weight = context, 0.5
    try:
        mixed = model.scores_many(places)
    finally:
        model.context, model.context_weight = None, 0.0
    margins = context.margins(places)
    for p, m, c in zip(plain, mixed, margins):
        near = p[1:].max() - p[0] > -CONTEXT_FLOOR
        assert np.allclose(m, p + 0.5 * c if near else p, atol=1e-4)
