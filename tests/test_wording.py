"""The WRD engine: packs, kinds, exceptions, token boundaries, seeds, robustness."""
from __future__ import annotations

from datetime import datetime

import pytest

from auditor.checks.wording.engine import Literals, literal_regex
from auditor.checks.wording.packs import PackError, load_packs
from auditor.pipeline import Auditor
from auditor.types import Document

from support import SEEDS


@pytest.fixture(scope="module")
def auditor():
    return Auditor(select=["WRD"]).load()


def found(auditor, text, **fields):
    return [(f.code, f.text) for f in auditor.audit(Document(text=text, **fields)).findings]


def test_at_least_150_sourced_rules():
    specs = load_packs()
    assert len(specs) >= 150
    assert all(s.rule.source.strip() and s.rule.code.startswith("WRD") for s in specs)
    assert len({s.pack for s in specs}) >= 8


@pytest.mark.parametrize("text,expected", [
    ("推动乡村长期稳定发展", []),
    ("村长主持召开村民会议", [("WRD110", "村长")]),
    ("农业部门加强指导", []),
    ("乡镇农业局长", []),
])
def test_token_aware_matching(auditor, text, expected):
    assert [h for h in found(auditor, text) if h[0] in {"WRD110", "WRD155"}] == expected


@pytest.mark.parametrize("text,published,expected", [
    ("国家工商行政管理总局发布通知", None, ["WRD150"]),
    ("国家工商行政管理总局发布通知", datetime(2017, 6, 1), []),
    ("原国家工商行政管理总局发布通知", None, []),
    ("依据《国家工商行政管理总局关于个体工商户登记的规定》", None, []),
    ("组建国家市场监督管理总局，不再保留国家工商行政管理总局", None, []),
    ("陕西省神木县", datetime(2016, 1, 1), []),
    ("陕西省神木县", datetime(2018, 1, 1), ["WRD200"]),
])
def test_exceptions_by_context_and_date(auditor, text, published, expected):
    codes = [c for c, _ in found(auditor, text, published_at=published) if c in {"WRD150", "WRD200"}]
    assert codes == expected


@pytest.mark.parametrize("text,expected", [
    ("“第一段，\n“第二段。”", []),  # a quotation running over paragraphs
    ("他说“好“。", [("WRD040", "“")]),
    ("《通知》要求（见附件）", []),
])
def test_pairing(auditor, text, expected):
    assert [h for h in found(auditor, text) if h[0].startswith("WRD04")] == expected


def test_literal_regex_prefers_longest_term():
    regex = literal_regex(["台湾总统", "台湾总统选举", "台湾"])
    assert [m.group() for m in regex.finditer("台湾总统选举和台湾总统及台湾")] == ["台湾总统选举", "台湾总统", "台湾"]


def test_literals_find_what_the_trie_regex_finds():
    words = ["台湾总统", "台湾总统选举", "台湾", "湾区", "总统府", "选举人", "举办", "和平"]
    text = "台湾总统选举人和台湾总统及台湾湾区总统府选举人举办和平台湾台"
    expected = [m.span() for m in literal_regex(words).finditer(text)]
    assert [m.span() for m in Literals(words).finditer(text)] == expected
    # 选举人 overlaps the longer 台湾总统选举 before it and is skipped, as finditer skips it
    assert [text[a:b] for a, b in expected][:2] == ["台湾总统选举", "台湾总统"] and len(expected) == 9
    assert list(Literals([]).finditer(text)) == []


def test_leader_checks(auditor):
    assert ("WRD220", "李墙") in found(auditor, "国务院总理李墙主持会议")
    assert ("WRD221", "国务院总理赵乐际") in found(auditor, "国务院总理赵乐际主持会议")
    assert not [h for h in found(auditor, "国务院总理周恩来作报告") if h[0] in {"WRD220", "WRD221"}]
    assert ("WRD222", "国家主席、中共中央总书记、中央军委主席") in found(
        auditor, "国家主席、中共中央总书记、中央军委主席习近平")


def test_findings_carry_suggestions_and_sources(auditor):
    report = auditor.audit(Document(text="按照（仁府办发(2023)15号）要求"))
    f = next(f for f in report.findings if f.code == "WRD001")
    assert f.suggestions == ("〔2023〕",)
    assert "GB/T 9704" in f.evidence["source"]


# Every wording problem seeds/README.md lists for the seed documents; ⟦…⟧ marks the reported span.
SEED_PROBLEMS = [
    ("002_7c09092cce80a91f.txt", "WRD001", "仁府办发⟦(2023)⟧15号"),
    ("002_7c09092cce80a91f.txt", "WRD026", "审核发布信息⟦IOoO⟧条"),
    ("002_7c09092cce80a91f.txt", "WRD044", "“米脂创建力⟦、⟧”"),
    ("002_7c09092cce80a91f.txt", "WRD040", "“靖边县市场监管⟦“⟧"),
    ("002_7c09092cce80a91f.txt", "WRD031", "纠错信息。⟦件⟧"),
    ("002_7c09092cce80a91f.txt", "WRD005", "国办发⟦(XX)⟧47号"),
    ("000_472671645d02a725.txt", "WRD054", "要求⟦,⟧不斷"),
    ("004_fa5a7580a58bca9e.txt", "WRD055", "单位⟦:⟧"),
]


@pytest.mark.parametrize("name,code,marked", SEED_PROBLEMS)
def test_seed_wording_problems_found(auditor, name, code, marked):
    body = (SEEDS / name).read_text(encoding="utf-8")
    context = marked.replace("⟦", "").replace("⟧", "")
    at = body.index(context) + marked.index("⟦")
    length = marked.index("⟧") - marked.index("⟦") - 1
    hits = [f for f in auditor.audit(Document(text=body)).findings if f.code == code]
    # the problem itself is reported, directly or as part of one aggregated finding for the page
    assert any((f.start, f.end) == (at, at + length) or at in f.evidence.get("offsets", ()) for f in hits), \
        [(f.start, f.text) for f in hits]


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", "“" * 1000, "\ufeff\u200b\ud7ff", "中" * 200_000,
                                  "（" * 50 + "）" * 49, "国办发(", "民国一百年"])
def test_bad_input_never_crashes(auditor, text):
    auditor.audit(Document(text=text, title="。"))


def test_malformed_pack_is_named(tmp_path):
    (tmp_path / "broken.yaml").write_text(
        "rules:\n  - {code: WRD999, name: x, kind: pattern, message: m, why: w, source: s, bogus: 1}\n", encoding="utf-8")
    with pytest.raises(PackError, match="broken: WRD999"):
        load_packs.__wrapped__(tmp_path)
