"""The 的/地/得 featurizer (auditor/checks/typos/particles.py): the features of a position never
read the particle written there, and a candidate that makes a word with a neighbour is marked."""
from __future__ import annotations

import pytest

from auditor.checks.typos.particles import PARTICLES, Featurizer, jieba_tags


@pytest.fixture(scope="module")
def featurizer():
    from auditor.text.nlp import jieba_tokenizer

    return Featurizer(jieba_tokenizer().FREQ, jieba_tags())


@pytest.mark.parametrize("text", ["我们认真的学习文件。", "他跑得很快。", "这是土地问题。"])
def test_features_do_not_read_the_particle(featurizer, text):
    i = next(k for k, ch in enumerate(text) if ch in PARTICLES)
    variants = [text[:i] + c + text[i + 1:] for c in PARTICLES]
    assert all(featurizer.names(v, i) == featurizer.names(text, i) for v in variants)


def test_words_around_and_word_formation(featurizer):
    text = "我们认真地学习文件。"
    names = featurizer.names(text, 4)
    assert "lw认真" in names and "rw学习" in names
    assert "tlad" in names  # jieba tags 认真 as an adverbial adjective
    names = featurizer.names("这是土地问题。", 3)
    assert "wl1地" in names and "wl1的" not in names  # 土地 is a word, 土的 is not


def test_reduplication_is_marked(featurizer):
    names = featurizer.names("他慢慢地走过来。", 3)
    assert any(n.startswith("AA") for n in names)
    assert not any(n.startswith("AA") for n in featurizer.names("他认真地走过来。", 3))
