"""Types, text preparation, settings, the Python API and the pipeline."""
from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditor import Auditor, Document, Finding, Severity, audit
from auditor.settings import Settings, SettingsError
from auditor.text import PreparedDocument, normalize
from auditor.text.segment import paragraphs, sentences

from support import SAMPLE


def test_severity_order_and_parse():
    assert Severity.BLOCKER > Severity.ERROR > Severity.WARNING > Severity.INFO
    assert max([Severity.WARNING, Severity.BLOCKER, Severity.INFO]) is Severity.BLOCKER
    assert Severity.parse("Error") is Severity.ERROR
    with pytest.raises(ValueError, match="unknown severity"):
        Severity.parse("fatal")


def test_finding_rejects_bad_span_and_is_frozen():
    with pytest.raises(ValueError):
        Finding("TXT001", "mojibake", Severity.ERROR, 5, 2, "", "m")
    f = Finding("TXT001", "mojibake", Severity.ERROR, 0, 2, "锟斤", "m", evidence={"a": [1]})
    with pytest.raises(TypeError):
        f.evidence["b"] = 1  # type: ignore[index]
    assert pickle.loads(pickle.dumps(f)) == f
    assert f.family == "TXT"


def test_documents_pickle_for_process_pools():
    doc = Document(text="正文", meta={"wechat": {"original": True}}, provenance={"kind": "page"})
    assert pickle.loads(pickle.dumps(doc)) == doc
    assert doc.kind == "page"


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_normalize_preserves_length(text):
    assert len(normalize(text)) == len(text)


def test_normalize_maps_fullwidth_but_keeps_chinese_punctuation():
    assert normalize("１２３ＡＢｃ\u3000，。“”") == "123ABc ，。“”"


@given(st.text(alphabet="政务公开。！？\n 「」“”abc12", max_size=120))
def test_segments_are_spans_of_the_text(text):
    paras = paragraphs(text)
    for seg in paras + sentences(text, paras):
        assert 0 <= seg.start < seg.end <= len(text)
        assert text[seg.start:seg.end].strip() == text[seg.start:seg.end]


def test_sentences_keep_closing_quotes():
    text = "他说：“要抓落实。”会议强调！\n第二段"
    assert [text[s.start:s.end] for s in sentences(text)] == ["他说：“要抓落实。”", "会议强调！", "第二段"]


def test_prepared_document_tokens_use_original_offsets():
    doc = PreparedDocument(Document(text="全面推进２０２４年政务公开工作"))
    for word, start, end in doc.tokens:
        assert doc.norm[start:end] == word


def test_settings_overlay_and_profile(tmp_path):
    path = tmp_path / "auditor.toml"
    path.write_text('[fetch]\ntimeout = 3\n[checks]\nignore = ["TXT008"]\n'
                    '[profiles.pinggu]\norganisation = "平谷区"\nallow_terms = ["金海湖"]\n'
                    '[profiles.pinggu.thresholds]\nmin_body_chars = 10\noriginality_min = 0.5\n', encoding="utf-8")
    s = Settings.load(path, profile="pinggu")
    assert s.fetch.timeout == 3.0 and s.fetch.max_redirects == 5
    assert s.checks.ignore == ("TXT008",)
    assert s.profile.name == "pinggu" and s.profile.allow_terms == ("金海湖",)
    assert s.profile.thresholds.min_body_chars == 10 and s.profile.thresholds.originality_min == 0.5


@pytest.mark.parametrize("text, message", [
    ("[fetch]\ntimeot = 3\n", "timeot"),
    ("[fetch]\nallow_private = \"yes\"\n", "allow_private"),
    ("[checks]\nselect = \"TXT\"\n", "select"),
    ("bogus = 1\n", "bogus"),
    ("[fetch\n", "格式错误"),
])
def test_bad_config_names_what_is_wrong(tmp_path, text, message):
    path = tmp_path / "auditor.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match=message):
        Settings.load(path)


def test_unknown_profile(tmp_path):
    path = tmp_path / "auditor.toml"
    path.write_text("[profiles.a]\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="未定义的机构配置"):
        Settings.load(path, profile="b")


def test_audit_api_on_html_and_text():
    report = audit(SAMPLE.read_bytes().decode("gb18030"), url="https://www.example.gov.cn/art_1.html")
    assert report.document.title.startswith("关于2023年第二季度")
    assert report.document.url == "https://www.example.gov.cn/art_1.html"
    assert any(f.code == "TXT007" for f in report.findings)
    text_report = audit("各单位：\n请XX县政府办公室于月底前报送。" * 3, select=["TXT007"])
    assert {f.code for f in text_report.findings} == {"TXT007"}
    assert text_report.document.kind == "draft"


def test_allow_list_drops_findings_inside_allowed_terms():
    text = "请XX县人民政府办公室于月底前报送政务公开工作总结，逾期未报送的单位将予以通报批评。"
    plain = Auditor(select=["TXT007"]).audit(Document(text=text))
    assert len(plain.findings) == 1
    settings = Settings.from_mapping({"profiles": {"org": {"allow_terms": ["XX县"]}}}, profile="org")
    allowed = Auditor(settings, select=["TXT007"]).audit(Document(text=text))
    assert allowed.findings == ()


def test_fingerprints_distinguish_repeats_and_survive_edits_elsewhere():
    a = Auditor(select=["TXT007"])
    text = "请XX县报送。另请XX县复核。" + "正文内容。" * 20
    first = [f.fingerprint for f in a.audit(Document(text=text)).findings]
    edited = [f.fingerprint for f in a.audit(Document(text="（修订）" + text)).findings]
    assert len(set(first)) == 2
    assert first == edited


def test_checks_never_crash_on_odd_input():
    a = Auditor()
    for text in ("", " ", "\n\n\n", "\x00\ufffd" * 50, "。" * 10000, "𠀀" * 100, "a" * 200000):
        a.audit(Document(text=text, provenance={"kind": "page"}))


def test_shared_spacy_pipeline_segments_with_jieba():
    from auditor.text.nlp import spacy_pipeline

    nlp = spacy_pipeline()
    assert nlp is spacy_pipeline()  # loaded once per process
    from auditor.text.nlp import tokens

    text = "全面推进政务公开工作"
    assert [t.text for t in nlp(text)] == [w for w, _, _ in tokens(text)]


def test_fixing_one_of_several_identical_findings_keeps_the_others_fingerprints():
    a = Auditor(select=["WRD055"])
    text = "现将有关事项通知如下:\n一是加强领导:明确责任。\n二是规范发布:做好维护。\n三是强化监督:开展自查。"
    before = {f.start: f.fingerprint for f in a.audit(Document(text=text)).findings}
    assert len(set(before.values())) == 4
    fixed = text.replace(":", "：", 1)
    after = {f.fingerprint for f in a.audit(Document(text=fixed)).findings}
    assert after == set(list(before.values())[1:])
