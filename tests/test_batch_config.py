"""sites.yaml validation: good files load with their defaults; each bad one fails with a
message naming the bad key."""
from __future__ import annotations

import pytest
import yaml

from auditor.batch.config import ConfigError, load_config, parse_config

GOOD = """
defaults:
  freshness: {dynamic: 14, notices: 180}
  rate: 1
originality: {threshold: 0.5, rule: "《某省政务新媒体管理办法》第十条"}
mandatory: {items: mandatory.yaml}
sites:
  - name: 某省人民政府
    level: province
    site_id_code: "3300000001"
    discovery:
      sitemaps: [https://www.example.gov.cn/sitemap.xml]
      lists:
        - {url: "https://www.example.gov.cn/tzgg/", pattern: "/tzgg/art_\\\\d+\\\\.html$"}
    notices: ["/tzgg/"]
  - name: 某市发布
    kind: wechat
    level: city
    parent: 某省人民政府
    freshness: {dynamic: 7}
    originality: {threshold: 0.6, rule: 市级规定}
    mandatory_sources: [新华社]
    discovery: {feeds: [https://wx.example.cn/rss.xml]}
"""


def test_good_config_with_defaults_and_overrides(tmp_path):
    path = tmp_path / "sites.yaml"
    path.write_text(GOOD, encoding="utf-8")
    (tmp_path / "mandatory.yaml").write_text("items: []\n", encoding="utf-8")
    config = load_config(path)
    prov, city = config.sites
    assert prov.key == "3300000001" and prov.kind == "website" and city.key == "某市发布"
    assert prov.freshness.dynamic == 14 and prov.freshness.notices == 180 and city.freshness.dynamic == 7
    assert prov.originality.threshold == 0.5 and city.originality.rule == "市级规定"
    assert prov.column("https://www.example.gov.cn/tzgg/art_1.html") == "notices"
    assert prov.column("https://www.example.gov.cn/xwdt/art_1.html") == "dynamic"
    assert city.column("https://wx.example.cn/tzgg/1") == "dynamic"  # new media: always the 2-week rule
    assert prov.lists[0].pattern.search("https://www.example.gov.cn/tzgg/art_12.html")
    assert config.politeness.rate == 1 and config.limits.allow_private is False
    assert config.mandatory_items == str(tmp_path / "mandatory.yaml")
    assert load_config(path, allow_private=True).limits.allow_private is True


def _site(**changes):
    site = {"name": "甲县人民政府", "discovery": {"sitemaps": ["https://a.gov.cn/sitemap.xml"]}}
    site.update(changes)
    return {"sites": [site]}


@pytest.mark.parametrize("data, key", [
    ({"sites": []}, "sites"),
    ({"site": []}, "site"),
    ({"defaults": {"rate": 0}, **_site()}, "defaults.rate"),
    ({"defaults": {"timeout": "fast"}, **_site()}, "defaults.timeout"),
    ({"defaults": {"freshness": {"dynamic": 0}}, **_site()}, "defaults.freshness.dynamic"),
    ({"defaults": {"freshnes": {}}, **_site()}, "defaults.freshnes"),
    ({"originality": {"threshold": 50, "rule": "x"}, **_site()}, "originality.threshold"),
    ({"originality": {"threshold": 0.5}, **_site()}, "originality.rule"),
    (_site(kind="blog"), "sites[0].kind"),
    (_site(level="village"), "sites[0].level"),
    (_site(site_id_code="33-01"), "sites[0].site_id_code"),
    (_site(parent="不存在的市"), "sites[0].parent"),
    (_site(discovery={}), "sites[0].discovery"),
    (_site(discovery={"sitemaps": ["ftp://a/sitemap.xml"]}), "sites[0].discovery.sitemaps[0]"),
    (_site(discovery={"lists": [{"url": "https://a.gov.cn/list", "pattern": "art_("}]}),
     "sites[0].discovery.lists[0].pattern"),
    (_site(discovery={"lists": [{"url": "https://a.gov.cn/list"}]}), "sites[0].discovery.lists[0]"),
    (_site(notices=["[bad"]), "sites[0].notices[0]"),
    (_site(colour="red"), "sites[0].colour"),
    ({"mandatory": {"items": "no-such-file.yaml"}, **_site()}, "mandatory.items"),
    ({"sites": [{"discovery": {"feeds": ["https://a.gov.cn/rss"]}}]}, "sites[0].name"),
    ({"sites": [_site()["sites"][0], _site()["sites"][0]]}, "sites[1].key"),
])
def test_bad_config_names_the_key(data, key):
    with pytest.raises(ConfigError) as err:
        parse_config(data, origin="sites.yaml")
    assert f"sites.yaml: {key}:" in str(err.value)


def test_unreadable_and_malformed_files(tmp_path):
    with pytest.raises(ConfigError, match="无法读取"):
        load_config(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("sites: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="YAML"):
        load_config(bad)


def test_digest_changes_with_the_config():
    good = {k: v for k, v in yaml.safe_load(GOOD).items() if k != "mandatory"}
    a = parse_config(good)
    b = parse_config({**good, "defaults": {"rate": 3}})
    assert a.digest != b.digest and a.digest == parse_config(dict(good)).digest


def test_documented_example_is_valid():
    from support import ROOT

    config = load_config(ROOT / "docs" / "sites.example.yaml")
    assert [s.level for s in config.sites] == ["province", "province", "city"]
    assert config.sites[2].originality.threshold == 0.6 and config.sites[1].originality.threshold == 0.5
