"""Reference index in the store (SQLite and PostgreSQL), repost classification, attribution,
and the `auditor index` commands."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from auditor.checks.originality.attribution import read_attribution
from auditor.checks.originality.index import match_references
from auditor.cli import main
from auditor.pipeline import Auditor
from auditor.settings import Settings
from auditor.store import open_store
from auditor.store.models import SEGMENT_SIZE, ReferenceBand, StoredDocument
from auditor.store.reference import ReferenceReader, index_documents, reference_stats
from auditor.text import PreparedDocument
from auditor.types import Document

from support import SEEDS

CST = timezone(timedelta(hours=8))

P1 = ("为深入贯彻落实党中央、国务院关于加强数字政府建设的决策部署，进一步提升政府网站和政务新媒体服务水平，"
      "省政府办公厅决定在全省范围内开展政府网站和政务新媒体专项检查。")
P2 = ("检查内容包括信息发布的及时性、准确性和规范性，互动回应是否及时，办事服务是否便捷，"
      "以及安全防护措施是否落实到位。各地各部门要对照检查指标逐项开展自查，发现问题立即整改。")
P3 = "各市政府办公室要在4月15日前将自查整改情况报送省政府办公厅，省政府办公厅将适时组织抽查，并将抽查结果在全省通报。"
OWN = ["我县高度重视政府网站和政务新媒体管理工作，县政府办公室召开专题会议进行部署，明确由县融媒体中心负责日常运维，"
       "各乡镇和县直部门指定专人负责信息报送。",
       "下一步，我县将建立常态化巡查机制，每周对全县政务新媒体账号开展一次巡查，确保问题早发现、早整改。",
       "今年以来，县融媒体中心共发布原创稿件三百余篇，其中政策解读类稿件四十余篇，群众留言办结率保持在百分之百。"]
SAME_TOPIC = ("市政府办公室近日印发通知，部署开展全市政府网站和政务新媒体季度检查，重点检查信息更新、互动回应和安全管理情况，"
              "要求各区县对照指标开展自查，并于月底前报送自查报告。")

REFERENCE = Document(text="\n".join([P1, P2, P3]), title="省政府办公厅关于开展专项检查的通知", site="某省人民政府",
                     url="https://sheng.example.gov.cn/a.html", source="某省人民政府办公厅",
                     published_at=datetime(2024, 3, 1, 9, tzinfo=CST), provenance={"kind": "page"})


def page(text: str, **fields) -> Document:
    values = {"site": "某县人民政府", "published_at": datetime(2024, 3, 5, 10, tzinfo=CST), "provenance": {"kind": "page"}}
    values.update(fields)
    return Document(text=text, **values)


@pytest.fixture
def store(any_db):
    s = open_store(any_db)
    index_documents(s, [REFERENCE, Document(text=SAME_TOPIC, title="市政府办公室部署季度检查", site="某市人民政府",
                                            published_at=datetime(2024, 2, 1, tzinfo=CST))], role="higher-level")
    yield s
    s.engine.dispose()


@pytest.mark.parametrize("text, share", [
    ("\n".join([P1, P2, P3]), (0.95, 1.0)),  # verbatim
    ("来源：本站\n" + "\n".join([P1, P2.replace("立即整改", "马上整改"), P3]) + "\n责任编辑：李华", (0.95, 1.0)),  # edits, other header
    ("\n".join([P1, P2]), (0.95, 1.0)),  # truncated
    ("\n".join([OWN[0], P2, OWN[1]]), (0.25, 0.5)),  # one paragraph of three reused
    ("\n".join(OWN), (0.0, 0.0)),  # original
    ("县政府办公室日前下发通知，要求各乡镇、各部门围绕信息更新、互动回应和安全管理三个方面，对本单位政府网站和"
     "政务新媒体开展一次全面自查，发现问题及时整改到位。\n" + OWN[2], (0.0, 0.0)),  # same topic, other words
])
def test_share_reused(store, text, share):
    match = match_references(ReferenceReader(store.engine), page(text))
    assert share[0] <= match.share <= share[1], match.share


def test_reference_is_not_its_own_source(store):
    index = ReferenceReader(store.engine)
    assert match_references(index, REFERENCE).share == 0  # the very document
    later = page(REFERENCE.text, published_at=datetime(2024, 2, 1, tzinfo=CST))  # before the reference appeared
    assert match_references(index, later).share == 0


def test_adding_twice_keeps_one_entry(store):
    index_documents(store, [REFERENCE])
    assert reference_stats(store)["documents"] == 2
    twice = page("\n".join(OWN), url="https://xian.example.gov.cn/1.html")
    first, second = index_documents(store, [twice, twice])
    assert first == second and reference_stats(store)["documents"] == 3
    with store.session() as s:
        assert s.query(StoredDocument).filter_by(url=twice.url).count() == 1


def test_band_key_migration_keeps_the_index(any_db):
    from alembic import command
    from sqlalchemy import create_engine, insert, inspect, text

    from auditor.store import _migrations_config, is_current
    from auditor.store.models import ReferenceEntry
    from auditor.store.reference import document_values, open_reader, reference_rows

    def migrate(revision: str, down: bool = False) -> None:
        with engine.begin() as c:
            (command.downgrade if down else command.upgrade)(_migrations_config(c), revision)

    def band_rows() -> list[tuple]:
        with engine.connect() as c:
            return sorted(c.execute(select(ReferenceBand.band, ReferenceBand.bucket, ReferenceBand.document_id)))

    engine = create_engine(any_db)
    migrate("0003")
    with engine.begin() as c:  # an index written before revision 0004, in that revision's layout
        for row in reference_rows([REFERENCE, page("\n".join(OWN))]):
            doc_id = c.scalar(insert(StoredDocument.__table__).returning(StoredDocument.id),
                              document_values(row.document))
            c.execute(insert(ReferenceEntry.__table__), {"document_id": doc_id, "role": row.role,
                                                         "num_perm": row.num_perm, "signature": row.signature})
            c.execute(text("INSERT INTO reference_bands (band, bucket, document_id) VALUES (:band, :bucket, :doc)"),
                      [{"band": band, "bucket": bucket, "doc": doc_id} for band, bucket in row.band_keys])
    before = band_rows()
    assert len(before) > 6
    reader = open_reader(any_db)  # reading a store written by an older version migrates it first
    assert reader is not None and is_current(engine)
    assert band_rows() == before
    with engine.connect() as c:
        assert all(segment == doc_id // SEGMENT_SIZE for segment, doc_id in
                   c.execute(select(ReferenceBand.segment, ReferenceBand.document_id)))
    primary_key = inspect(engine).get_pk_constraint("reference_bands")
    assert primary_key["constrained_columns"] == ["segment", "bucket", "band", "document_id"]
    if engine.dialect.name == "postgresql":  # the names a fresh schema has
        assert primary_key["name"] == "reference_bands_pkey"
        assert [fk["name"] for fk in inspect(engine).get_foreign_keys("reference_bands")] == [
            "reference_bands_document_id_fkey"]
    if engine.dialect.name == "sqlite":
        with engine.connect() as c:
            assert "WITHOUT ROWID" in c.scalar(text("SELECT sql FROM sqlite_master WHERE name = 'reference_bands'"))
    copy = page("\n".join([OWN[0], P2, OWN[1]]))
    assert match_references(reader, copy).best.reference.title == REFERENCE.title
    reader.engine.dispose()
    migrate("0003", down=True)
    assert band_rows() == before
    assert inspect(engine).get_pk_constraint("reference_bands")["constrained_columns"] == ["band", "bucket", "document_id"]
    engine.dispose()


@pytest.mark.parametrize("text, fields, codes", [
    ("\n".join([P1, P2, P3]), {}, {"ORG001"}),
    ("\n".join([P1, P2, P3]) + "\n来源：某县人民政府", {}, {"ORG001"}),
    ("\n".join([P1, P2, P3]) + "\n来源：网络", {}, {"ORG001"}),
    ("\n".join([P1, P2, P3]), {"source": "某省人民政府办公厅"}, {"ORG003"}),
    ("\n".join([P1, P2, P3]), {"meta": {"wechat": {"original": True}}, "source": "某省人民政府"}, {"ORG003", "ORG005"}),
    ("\n".join([OWN[0], P2, OWN[1]]), {}, {"ORG002"}),
    ("\n".join(OWN), {}, set()),
])
def test_classification(store, monkeypatch, text, fields, codes):
    auditor = Auditor(Settings(db_url=str(store.engine.url.render_as_string(hide_password=False))), select=["ORG"])
    found = {f.code for f in auditor.audit(page(text, **fields)).findings}
    assert found == codes


def test_evidence_names_the_reference(store):
    auditor = Auditor(Settings(db_url=store.engine.url.render_as_string(hide_password=False)), select=["ORG001"])
    finding = auditor.audit(page(REFERENCE.text)).findings[0]
    ref = finding.evidence["references"][0]
    assert ref["url"] == REFERENCE.url and ref["share"] > 0.95
    assert "某省人民政府" in finding.message


@pytest.mark.parametrize("text, fields, expect", [
    ("正文。\n来源：新华社", {}, {"source": "新华社", "claims_repost": True}),
    ("正文。\n转载自：人民网", {}, {"source": "人民网", "claims_repost": True}),
    ("正文。\n来源：县融媒体中心", {"site": "某县人民政府"}, {"source": "县融媒体中心", "claims_repost": False}),
    ("正文。\n来源：某县人民政府", {"site": "某县人民政府"}, {"self_claimed": True}),
    ("正文。", {"source": "某县人民政府", "site": "某县人民政府网"}, {"self_claimed": True}),
    ("正文。\n作者：张三\n责任编辑：李四", {}, {"people": {"作者": "张三", "责任编辑": "李四"}}),
    ("正文。", {"meta": {"wechat": {"original": True}}}, {"original_mark": True}),
])
def test_attribution(text, fields, expect):
    attr = read_attribution(PreparedDocument(Document(text=text, **fields)))
    for key, value in expect.items():
        actual = {c.label: c.value for c in attr.people} if key == "people" else getattr(attr, key)
        assert actual == value, key


@pytest.mark.parametrize("seed", ["000_472671645d02a725.txt", "003_85418d1efcc3da94.txt"])
def test_seed_repost_notices(seed):
    text = (SEEDS / seed).read_text(encoding="utf-8")
    attr = read_attribution(PreparedDocument(Document(text=text)))
    if seed.startswith("000"):
        assert any("轉載于網絡" in n.value for n in attr.notices)
        assert attr.source == "北京市平谷區人民政府"
    else:
        assert not attr.notices


def test_cli_index_add_search_stats(any_db, tmp_path):
    ref = tmp_path / "ref.txt"
    ref.write_text("\n".join([P1, P2, P3]), encoding="utf-8")
    copy = tmp_path / "copy.txt"
    copy.write_text("\n".join([OWN[0], P2, OWN[1]]), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["index", "add", str(ref), "--role", "higher-level", "--account", "某省人民政府",
                                  "--db", any_db])
    assert result.exit_code == 0 and "1 篇" in result.output, result.output
    result = runner.invoke(main, ["index", "stats", "--db", any_db])
    assert "参照库文章 1 篇" in result.output and "higher-level: 1" in result.output
    result = runner.invoke(main, ["index", "search", str(copy), "--db", any_db])
    assert result.exit_code == 0 and "某省人民政府" in result.output, result.output
    result = runner.invoke(main, ["check", str(copy), "--db", any_db, "--select", "ORG", "--format", "jsonl"])
    assert '"ORG002"' in result.output, result.output


def test_check_without_store_has_no_index(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDITOR_DB", f"sqlite:///{tmp_path / 'missing.sqlite'}")
    auditor = Auditor(select=["ORG"]).load()
    assert auditor.audit(page(REFERENCE.text)).findings == ()
    assert not (tmp_path / "missing.sqlite").exists()


def test_originality_ratio_saved(tmp_db, tmp_path):
    from auditor.store.models import AccountMetric

    store = open_store(tmp_db)
    index_documents(store, [REFERENCE])
    files = []
    for i, text in enumerate([REFERENCE.text + "\n来源：某省人民政府办公厅", OWN[0], OWN[1], OWN[2]]):
        f = tmp_path / f"{i}.txt"
        f.write_text(text, encoding="utf-8")
        files.append(str(f))
    config = tmp_path / "auditor.toml"
    config.write_text('[profiles.county]\n[profiles.county.thresholds]\noriginality_min = 0.8\n'
                      'originality_rule = "某省政务新媒体管理办法第十条"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check", *files, "--db", tmp_db, "--save", "--select", "ORG",
                                       "--config", str(config), "--profile", "county"])
    assert "原创比例 75%，低于要求 80%（某省政务新媒体管理办法第十条）" in result.output, result.output
    with store.session() as s:
        metric = s.query(AccountMetric).one()
        assert metric.originality_ratio == 0.75 and metric.extra["originality_min"] == 0.8


@pytest.mark.parametrize("text, claimed", [
    ("其中，转载信息2374条，原创信息1004条。", None),  # 转载 as a plain verb
    ("设备运转自如，情况好转自去年以来。", None),
    ("本文转载自人民网。", "人民网"),
    ("转自：新华社", "新华社"),
    ("转载：中国政府网", "中国政府网"),
    ("轉載自 人民網", "人民網"),
])
def test_repost_statements(text, claimed):
    from auditor.checks.originality.attribution import REPOST_LINE

    m = REPOST_LINE.search(text)
    assert (m.group("v") if m else None) == claimed


def test_own_office_as_source_is_not_a_repost():
    from auditor.checks.originality.attribution import read_attribution
    from auditor.text import PreparedDocument

    doc = Document(text="正文。", source="县政府办公室", site="县人民政府门户网站", provenance={"kind": "page"})
    attribution = read_attribution(PreparedDocument(doc))
    assert attribution.self_claimed and not attribution.claims_repost
