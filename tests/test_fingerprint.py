"""MinHash fingerprints over character shingles: equal to datasketch's, robust to boilerplate,
punctuation, Traditional copies and light edits."""
from __future__ import annotations

import numpy as np
import pytest
from datasketch import MinHash

from auditor.text.fingerprint import NUM_PERM, SEED, Fingerprint, signature_from_bytes, sketches

ARTICLE = ("为深入贯彻落实党中央、国务院关于加强数字政府建设的决策部署，进一步提升政府网站和政务新媒体服务水平，"
           "省政府办公厅决定在全省范围内开展政府网站和政务新媒体专项检查。\n"
           "检查内容包括信息发布的及时性、准确性和规范性，互动回应是否及时，办事服务是否便捷，"
           "以及安全防护措施是否落实到位。各地各部门要对照检查指标逐项开展自查，发现问题立即整改。")


def test_signature_equals_datasketch():
    fp = Fingerprint(ARTICLE)
    m = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=lambda x: x)
    m.update_batch(fp.shingles.tolist())
    assert np.array_equal(m.hashvalues, fp.signature)
    lean = fp.minhash()
    buf = bytearray(lean.bytesize())
    lean.serialize(buf)
    assert fp.signature_bytes() == bytes(buf)
    assert signature_from_bytes(fp.signature_bytes()).jaccard(lean) == 1.0


@pytest.mark.parametrize("variant", [
    "来源：某省人民政府\n发布时间：2024-03-01 09:00\n" + ARTICLE + "\n责任编辑：王明\n版权声明：本文转载于网络，如有侵权联系删除。",
    ARTICLE.replace("，", ",").replace("。", ". "),
    "为深入貫徹落實黨中央、國務院關於加強數字政府建設的決策部署，進一步提升政府網站和政務新媒體服務水平，"
    "省政府辦公廳決定在全省範圍內開展政府網站和政務新媒體專項檢查。\n" + ARTICLE.split("\n")[1],
    "为深(shēn)入贯彻落实党中央、国务院关于加强数字政府建设的决策部署，进一步提升政府网站和政务新媒体服务水平，"
    "省政府办公厅决定在全省范围内开展政府网站和政务新媒体专项检查。\n" + ARTICLE.split("\n")[1],
], ids=["boilerplate", "punctuation", "traditional", "pinyin"])
def test_same_content_despite_presentation(variant):
    assert Fingerprint(variant).content == Fingerprint(ARTICLE).content


def test_light_edit_keeps_band_keys():
    edited = ARTICLE.replace("立即整改", "马上整改").replace("全省范围内", "全省")
    shared = Fingerprint(ARTICLE).band_keys & Fingerprint(edited).band_keys
    assert {band for band, _ in shared}  # at least one band of each unit still collides
    assert len(shared) >= 2


def test_different_text_shares_no_band_key():
    other = ("我县高度重视政府网站和政务新媒体管理工作，县政府办公室召开专题会议进行部署，明确由县融媒体中心负责日常运维，"
             "各乡镇和县直部门指定专人负责信息报送。")
    assert not Fingerprint(ARTICLE).band_keys & Fingerprint(other).band_keys


def test_units_map_back_to_the_text():
    text = "标题行很短\n" + ARTICLE
    fp = Fingerprint(text)
    assert [text[u.start:u.end] for u in fp.units][-1] == ARTICLE.split("\n")[1]


@pytest.mark.parametrize("text", ["", "  \n ", "。。。", "a", "\x00\ud7ff\U0001F600" * 50, "字" * 200_000])
def test_odd_input(text):
    fp = Fingerprint(text)
    assert len(fp.signature) == NUM_PERM
    fp.band_keys


def test_batch_sketches_equal_one_document_at_a_time():
    texts = [ARTICLE, "", "。。。", ARTICLE.split("\n")[1], "标题\n" + ARTICLE * 3, "字" * 20_000,
             "短句。\n" + ARTICLE.replace("立即整改", "马上整改")] * 3
    batch = sketches([Fingerprint(t) for t in texts])
    for text, (signature, keys) in zip(texts, batch):
        fp = Fingerprint(text)
        m = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=lambda x: x)
        m.update_batch(fp.shingles.tolist())
        assert np.array_equal(signature, m.hashvalues if len(fp.shingles) else fp.signature)
        assert np.array_equal(signature, fp.signature) and keys == fp.band_keys
        # Each anchor's keys are those of its paragraph alone: minima never cross unit borders.
        assert keys == set().union(*(Fingerprint(text[u.start:u.end]).band_keys for u in fp.anchors))
