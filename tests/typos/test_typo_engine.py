"""Behaviour of the TYP engine: tables, guards, doubled characters, robustness, lazy loading."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from auditor.checks.typos.engine import typo_engine
from auditor.pipeline import Auditor
from auditor.settings import Profile, Settings
from auditor.types import Document


@pytest.fixture(scope="module")
def engine():
    return typo_engine()


@pytest.mark.parametrize("text, expected", [
    ("管道按装工作已完成。", [("按装", "安装")]),
    ("我们要一如继往地支持。", [("一如继往", "一如既往")]),
    ("截止2024年底，已建成3000个。", [("截止", "截至")]),
    ("截止目前，共受理申请20件。", [("截止", "截至")]),
    ("报名截至日期为6月30日。", [("截至", "截止")]),
    ("补贴按装机容量计算。", []),  # 按 + 装机容量
    ("申报截止日期为6月30日，截至目前已受理20件。", []),
    ("采购项目既使用财政性资金又使用其他资金。", []),  # 既 + 使用
])
def test_wrong_words(engine, text, expected):
    assert [(t.wrong, t.right) for t in engine.word_typos(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("这是我们的的重点工作。", [5]),
    ("任务完成了了。", [5]),
    ("这项研研究很重要。", [3]),
    ("实现目的的手段。", []),
    ("我们常常去看看，情况渐渐好转。", []),
    ("事情讲得清清楚楚，高高兴兴。", []),
    ("不了了之的做法要纠正。", []),
    ("天天向上，人人有责。", []),
    ("2019年年底前完成。", []),
    ("做到事事有落实、件件有反馈，项项有着落。", []),  # a doubled measure word means "every"
    ("这项项目已经完成。", []),  # 这项 + 项目
    ("物流状况也得到了了解。", []),  # 得到了 + 了解
    ("还有有关部门参加。", []),  # 还有 + 有关部门
    ("经济发发展很快。", [3]),
    ("自治区农业农村厅厅长表示，司机班班长参加。", []),  # a unit and its head  # 济发 nearly always goes on to 发展: an extra keystroke
])
def test_repeated_characters(engine, text, expected):
    assert [t.start for t in engine.repeated_chars(text)] == expected


@pytest.mark.parametrize("text, wrong, right", [
    ("各地区各部门要切实加强组织领到，确保各项任务落到实处。", "到", "导"),
    ("深入推进科技管里体制改革。", "里", "理"),
])
def test_wrong_characters(engine, text, wrong, right):
    assert (wrong, right) in [(t.wrong, t.right) for t in engine.char_typos(text)]


@pytest.mark.parametrize("text", [
    "各地区各部门要切实加强组织领导，确保各项任务落到实处。",
    "国务院办公厅关于进一步优化营商环境的意见",
    "北京市平谷区金海湖镇人民政府",
])
def test_clean_official_text_is_left_alone(engine, text):
    assert engine.correct_sentence(text) == text


@pytest.mark.parametrize("text, names", [
    ("受表彰的有李元栋、吴若秋、程天赋、杨光林（苗族）、王惠业（女）等同志。", ["李元栋", "吴若秋", "程天赋", "杨光林", "王惠业"]),
    ("参会人员：张建国 刘晓东 陈志强", ["张建国", "刘晓东", "陈志强"]),
    ("推动高质量、高效率、全方位发展。", []),  # an enumeration of words, not of names
    ("北京、上海、广州、深圳四个城市。", []),
])
def test_names_in_an_enumeration_are_guarded(engine, text, names):
    from auditor.text.names import name_list_spans

    assert [text[a:b] for a, b in name_list_spans(text, engine._common_word)] == names
    mask = engine.guard_mask(text)
    assert all(mask[text.index(n):text.index(n) + len(n)].all() for n in names)


def test_the_names_of_quoted_people_are_left_alone_throughout_the_document(engine):
    quoted = ["互联网研究院院长刘兴亮从资本的角度分析共享单车的退出。", "刘兴亮表示，这才是回归理性。"]
    assert [t.wrong for t in engine.typos_many(quoted)[0]] == ["兴"]  # the LM prefers 光亮
    assert engine.document_typos(quoted) == [[], []]
    assert [t.wrong for t in engine.document_typos(quoted[:1])[0]] == ["兴"]  # nobody quoted
    findings = Auditor(select=["TYP001"]).audit(Document(text="".join(quoted))).findings
    assert not findings


@pytest.mark.parametrize("text, names", [
    ("记者王刚说，有关负责人表示，他明确表示支持。", {"王刚"}),
    ("常委会表示，工作组认为，专家指出。", set()),
    ("互联网研究院院长刘兴亮表示。", {"刘兴亮"}),
])
def test_speaker_names(engine, text, names):
    from auditor.text.names import speaker_names

    assert speaker_names(text, engine._common_word) == names


def test_reduplicated_verbs_are_guarded(engine):
    text = "有些材料到手也翻一翻，再看了看。"
    mask = engine.guard_mask(text)
    assert mask[text.index("翻一翻"):text.index("翻一翻") + 3].all() and mask[text.index("看了看")]
    assert not [t for t in engine.char_typos(text) if t.wrong == "翻"]


def test_a_common_single_character_word_needs_the_error_cut(engine):
    # 敢走别人没有走过的路: the LM prefers 赶走, but 敢 is a word of its own (jieba 5e4+ times
    # would make it one of the 93 COMMON_CHAR_WORD characters; 为 is). A replacement of such a
    # character must reach the error cut, like any real-word substitution.
    from auditor.checks.typos.corrector import COMMON_CHAR_WORD, FEATURES

    corrector = engine.corrector
    X = np.zeros((2, len(FEATURES)))
    cuts = corrector.cuts(X, None, ["为", "鑫"])
    assert corrector.words.get("为", 0) >= COMMON_CHAR_WORD > corrector.words.get("鑫", 0)
    assert list(cuts) == [corrector.thresholds["error"], corrector.thresholds["warning"]]


def test_allow_list_protects_local_terms():
    text = "各地区各部门要切实加强组织领到，确保各项任务落到实处。"
    plain = Auditor(select=["TYP001"]).audit(Document(text=text)).findings
    assert plain
    settings = Settings(profile=Profile(allow_terms=("领到",)))
    allowed = Auditor(select=["TYP001"], settings=settings).audit(Document(text=text)).findings
    assert not allowed


def test_findings_carry_correction_and_confidence():
    text = "新建小区已全部完成燃气管道按装。各部门要加强组织领到。"
    findings = Auditor(select=["TYP"]).audit(Document(text=text)).findings
    by_code = {f.code: f for f in findings}
    assert by_code["TYP002"].suggestions == ("安装",) and by_code["TYP002"].text == "按装"
    assert by_code["TYP001"].suggestions == ("导",) and 0.0 < by_code["TYP001"].confidence <= 1.0


@pytest.mark.parametrize("text", ["", "。", "a" * 5000, "的" * 3000, "领导" * 2000, "\u0000\ufffd\U0001F600测试𠀀",
                                  "《" * 50 + "国务院" + "》" * 50])
def test_bad_input_never_crashes(text):
    Auditor(select=["TYP"]).audit(Document(text=text))


def test_import_does_not_load_models():
    code = ("import sys, auditor, auditor.checks.typos as t, auditor.checks.typos.engine as e;"
            "assert e.typo_engine.cache_info().currsize == 0;"
            "assert 'torch' not in sys.modules and 'transformers' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_memoized_sentences_give_the_scored_result(engine):
    """A re-checked draft gets the same typos from the memo as from scoring, and the memo
    stays within its bound."""
    from auditor.checks.typos import engine as engine_module

    texts = ["我们要坚持以人民为中心的发展思想，一如继往地推进改革。", "近日，国务院办公听印发通知，部署有关工作。"]
    fresh = engine_module.TypoEngine(engine.corrector, engine.wrong_words, engine.protected, engine.guard_names)
    scored = fresh.typos_many(texts)
    assert [[t.right for t in found] for found in scored] == [["一如既往"], ["厅"]]
    assert fresh.typos_many(list(reversed(texts))) == list(reversed(scored))  # from the memo
    assert list(fresh._memo) == texts
    bound = engine_module.MEMO_SENTENCES
    try:
        engine_module.MEMO_SENTENCES = 2
        fresh.typos_many([f"第{i}条规定" for i in range(5)])
        assert list(fresh._memo) == ["第3条规定", "第4条规定"]
    finally:
        engine_module.MEMO_SENTENCES = bound


def test_long_documents_are_scored_in_bounded_batches(engine, monkeypatch):
    """A law of thousands of sentences must not be scored in one numpy pass (its
    temporaries grow with the batch: 600 MB for 2,000 sentences)."""
    from auditor.checks.typos import engine as engine_module

    sizes = []
    real = engine.corrector.correct_many

    def spy(texts, protected, threshold=None):
        sizes.append(len(texts))
        return real(texts, protected, threshold)

    monkeypatch.setattr(engine.corrector, "correct_many", spy)
    texts = [f"第{i}条　本办法自发布之日起施行。" for i in range(engine_module.BATCH * 2 + 5)]
    found = engine.char_typos_many(texts)
    assert len(found) == len(texts)
    assert sizes == [engine_module.BATCH, engine_module.BATCH, 5]


def test_word_route_offers_whole_dictionary_words(engine):
    # The word route (measured and not shipped, MODEL_CARD.md): a segment that is no word becomes
    # a common dictionary word through one sound-alike change. Off with the shipped classifier.
    from auditor.checks.typos.corrector import FEATURES, WORD_FEATURES, Corrector

    shipped = engine.corrector
    assert not shipped.word_route and shipped.features == FEATURES
    route = Corrector(shipped.lm, shipped.confusion, shipped.words, general=shipped.general, word_route=True)
    assert "不但" in [w for w, _ in route.segment_words("不旦")]
    assert [w for w, _ in route.segment_words("失误招领")] == ["失物招领"]
    text = "他不旦会写文章，还会画画。"
    positions, _, X = route.candidates(text)
    assert X.shape[1] == len(FEATURES + WORD_FEATURES)
    assert 1 in positions[X[:, len(FEATURES)] == 1]
    guarded = np.zeros(len(text), dtype=bool)
    guarded[1:3] = True  # a guarded name is spelled as written: no word candidate over it
    positions, _, X = route.candidates(text, guarded)
    assert 1 not in positions[X[:, len(FEATURES)] == 1]
