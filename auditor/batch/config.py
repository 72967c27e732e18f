"""``sites.yaml``: the sites and accounts a nightly run audits, validated with errors that
name the bad key (``sites[3].discovery.lists[0].pattern``).

Example::

    defaults:
      freshness: {dynamic: 14, notices: 180}   # days; 2-week rule for dynamic columns and new media
      rate: 2            # requests per second per host
      concurrency: 2     # requests in flight per host
      retries: 2
      timeout: 15
      max_articles: 500  # per site and run
      attachments: true  # audit the files pages link to (at most [attachments] max_per_page each)
    originality: {threshold: 0.5, rule: "《某省政务新媒体管理办法》第十条"}
    mandatory: {items: mandatory.yaml}   # the registry of items to repost (path relative to this file)
    sites:
      - name: 某省人民政府
        kind: website
        level: province
        site_id_code: "3300000001"
        discovery:
          sitemaps: [https://www.example.gov.cn/sitemap.xml]
          feeds: [https://www.example.gov.cn/rss.xml]
          lists:
            - {url: "https://www.example.gov.cn/tzgg/", pattern: "/tzgg/art_\\d+\\.html$"}
        notices: ["/tzgg/", "/zcwj/"]   # URL patterns of notice and policy columns (180-day rule)
        attachments: true                # this site's own switch (default: defaults.attachments)
        mandatory_sources: [新华社, 中国政府网]
      - name: 某市发布
        kind: wechat
        level: city
        parent: 某省人民政府
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

import yaml

from auditor.ingest.polite import Politeness

KINDS = ("website", "wechat", "weibo", "douyin", "toutiao", "app", "other")
LEVELS = ("province", "city", "county", "department")
LEVEL_LABELS = {"province": "省级", "city": "市级", "county": "县级", "department": "部门"}
NEW_MEDIA = tuple(k for k in KINDS if k != "website")


class ConfigError(ValueError):
    """sites.yaml is wrong; the message names the file and the key."""


@dataclass(frozen=True)
class ListPage:
    url: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Freshness:
    dynamic: int = 14  # days: dynamic columns and new-media accounts (the 2-week rule)
    notices: int = 180  # days: notices, announcements and policy documents


@dataclass(frozen=True)
class Originality:
    threshold: float | None = None  # share of original articles an account must reach
    rule: str = ""  # the local rule that sets it
    period: int = 30  # days of articles the ratio is computed over


@dataclass(frozen=True)
class Limits:
    timeout: float = 15.0  # seconds for connect and for each read
    max_articles: int = 500  # per site and run
    allow_private: bool = False  # loopback and intranet hosts (tests, intranet portals)


@dataclass(frozen=True)
class SiteConfig:
    name: str
    key: str
    kind: str = "website"
    level: str | None = None
    parent: str | None = None
    site_id_code: str | None = None
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    lists: tuple[ListPage, ...] = ()
    notices: tuple[re.Pattern[str], ...] = ()
    freshness: Freshness = field(default_factory=Freshness)
    originality: Originality = field(default_factory=Originality)
    mandatory_sources: tuple[str, ...] = ()
    attachments: bool = True  # fetch and audit the files its pages link to

    @property
    def is_new_media(self) -> bool:
        return self.kind in NEW_MEDIA

    def column(self, url: str) -> str:
        """'notices' for notice and policy columns (180-day rule), else 'dynamic'."""
        if not self.is_new_media and any(p.search(url) for p in self.notices):
            return "notices"
        return "dynamic"


@dataclass(frozen=True)
class BatchConfig:
    path: str
    digest: str  # sha256 of the file: a rerun of the same config resumes an unfinished run
    sites: tuple[SiteConfig, ...]
    politeness: Politeness = field(default_factory=Politeness)
    limits: Limits = field(default_factory=Limits)
    mandatory_items: str | None = None  # path of the registry of mandatory items

    def site(self, key: str) -> SiteConfig:
        for site in self.sites:
            if site.key == key:
                return site
        raise KeyError(key)


def load_config(path: str | Path, *, allow_private: bool | None = None) -> BatchConfig:
    p = Path(path)
    try:
        raw_bytes = p.read_bytes()
    except OSError as exc:
        raise ConfigError(f"无法读取站点配置 {p}: {exc.strerror}") from None
    try:
        data = yaml.safe_load(raw_bytes.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: YAML 格式错误: {exc}") from None
    config = parse_config(data, origin=str(p), base=p.parent)
    if allow_private is not None:
        config = replace(config, limits=replace(config.limits, allow_private=allow_private))
    return config


def parse_config(data: Any, *, origin: str = "sites.yaml", base: Path = Path(".")) -> BatchConfig:
    v = _Validator(origin)
    top = v.mapping(data, "", {"defaults", "originality", "mandatory", "sites"})
    defaults = v.mapping(top.get("defaults", {}), "defaults",
                         {"freshness", "rate", "concurrency", "retries", "backoff", "timeout", "max_articles",
                          "allow_private", "attachments"})
    freshness = v.freshness(defaults.get("freshness", {}), "defaults.freshness", Freshness())
    politeness = Politeness(
        rate=v.number(defaults.get("rate", 2.0), "defaults.rate", positive=True),
        concurrency=v.integer(defaults.get("concurrency", 2), "defaults.concurrency", minimum=1),
        retries=v.integer(defaults.get("retries", 2), "defaults.retries", minimum=0),
        backoff=v.number(defaults.get("backoff", 0.5), "defaults.backoff"))
    limits = Limits(
        timeout=v.number(defaults.get("timeout", 15.0), "defaults.timeout", positive=True),
        max_articles=v.integer(defaults.get("max_articles", 500), "defaults.max_articles", minimum=1),
        allow_private=v.boolean(defaults.get("allow_private", False), "defaults.allow_private"))
    originality = v.originality(top.get("originality", {}), "originality", Originality())
    mandatory = v.mapping(top.get("mandatory", {}), "mandatory", {"items"})
    items = mandatory.get("items")
    if items is not None:
        items = str(base / v.string(items, "mandatory.items"))
        if not Path(items).is_file():
            v.fail("mandatory.items", f"必转信息清单文件不存在: {items}")
    raw_sites = top.get("sites")
    if not isinstance(raw_sites, list) or not raw_sites:
        raise ConfigError(f"{origin}: sites: 应为非空列表（每项一个网站或账号）")
    sites: list[SiteConfig] = []
    for i, raw in enumerate(raw_sites):
        sites.append(v.site(raw, f"sites[{i}]", freshness, originality,
                            v.boolean(defaults.get("attachments", True), "defaults.attachments")))
    names = {s.name: s for s in sites}
    seen: set[str] = set()
    for i, site in enumerate(sites):
        if site.key in seen:
            raise ConfigError(f"{origin}: sites[{i}].key: 重复的站点标识 {site.key!r}")
        seen.add(site.key)
        if site.parent is not None:
            parent = names.get(site.parent)
            if parent is None:
                raise ConfigError(f"{origin}: sites[{i}].parent: 未定义的上级站点 {site.parent!r}")
            if parent is site:
                raise ConfigError(f"{origin}: sites[{i}].parent: 上级不能是自身")
    digest = hashlib.sha256(repr(data).encode("utf-8")).hexdigest()
    return BatchConfig(path=origin, digest=digest, sites=tuple(sites), politeness=politeness,
                       limits=limits, mandatory_items=items)


class _Validator:
    def __init__(self, origin: str):
        self.origin = origin

    def fail(self, key: str, message: str) -> None:
        raise ConfigError(f"{self.origin}: {key or '顶层'}: {message}")

    def mapping(self, value: Any, key: str, allowed: set[str]) -> Mapping[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.fail(key, f"应为映射（键: 值），实际为 {type(value).__name__}")
        unknown = sorted(str(k) for k in value if k not in allowed)
        if unknown:
            where = f"{key}.{unknown[0]}" if key else unknown[0]
            self.fail(where, f"未知配置项（允许: {', '.join(sorted(allowed))}）")
        return value

    def string(self, value: Any, key: str) -> str:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.fail(key, f"应为非空字符串，实际为 {value!r}")
        return value.strip()

    def strings(self, value: Any, key: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(key, f"应为字符串列表，实际为 {value!r}")
        return tuple(self.string(item, f"{key}[{i}]") for i, item in enumerate(value))

    def url(self, value: Any, key: str) -> str:
        url = self.string(value, key)
        if not re.match(r"^https?://[^/\s]+", url):
            self.fail(key, f"应为 http(s) 网址，实际为 {url!r}")
        return url

    def pattern(self, value: Any, key: str) -> re.Pattern[str]:
        text = self.string(value, key)
        try:
            return re.compile(text)
        except re.error as exc:
            self.fail(key, f"正则表达式错误: {exc}")
        raise AssertionError  # unreachable: fail() raises

    def number(self, value: Any, key: str, *, positive: bool = False) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or (positive and value == 0):
            self.fail(key, f"应为{'正数' if positive else '非负数'}，实际为 {value!r}")
        return float(value)

    def integer(self, value: Any, key: str, *, minimum: int = 0) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.fail(key, f"应为不小于 {minimum} 的整数，实际为 {value!r}")
        return value

    def boolean(self, value: Any, key: str) -> bool:
        if not isinstance(value, bool):
            self.fail(key, f"应为 true/false，实际为 {value!r}")
        return value

    def choice(self, value: Any, key: str, choices: tuple[str, ...]) -> str:
        text = self.string(value, key)
        if text not in choices:
            self.fail(key, f"未知取值 {text!r}（允许: {', '.join(choices)}）")
        return text

    def freshness(self, value: Any, key: str, inherited: Freshness) -> Freshness:
        raw = self.mapping(value, key, {"dynamic", "notices"})
        return Freshness(
            dynamic=self.integer(raw.get("dynamic", inherited.dynamic), f"{key}.dynamic", minimum=1),
            notices=self.integer(raw.get("notices", inherited.notices), f"{key}.notices", minimum=1))

    def originality(self, value: Any, key: str, inherited: Originality) -> Originality:
        raw = self.mapping(value, key, {"threshold", "rule", "period"})
        threshold = raw.get("threshold", inherited.threshold)
        if threshold is not None:
            threshold = self.number(threshold, f"{key}.threshold")
            if threshold > 1:
                self.fail(f"{key}.threshold", f"应为 0 到 1 之间的比例（如 0.5），实际为 {threshold!r}")
        rule = self.string(raw["rule"], f"{key}.rule") if "rule" in raw else inherited.rule
        if threshold is not None and not rule:
            self.fail(f"{key}.rule", "设定了原创比例要求 threshold，须写明依据的规定 rule")
        period = self.integer(raw.get("period", inherited.period), f"{key}.period", minimum=1)
        return Originality(threshold=threshold, rule=rule, period=period)

    def site(self, value: Any, key: str, freshness: Freshness, originality: Originality,
             attachments: bool = True) -> SiteConfig:
        raw = self.mapping(value, key, {"name", "key", "kind", "level", "parent", "site_id_code", "discovery",
                                        "notices", "freshness", "originality", "mandatory_sources", "attachments"})
        if "name" not in raw:
            self.fail(f"{key}.name", "缺少站点或账号名称")
        name = self.string(raw["name"], f"{key}.name")
        code = self.string(raw["site_id_code"], f"{key}.site_id_code") if raw.get("site_id_code") is not None else None
        if code is not None and not re.fullmatch(r"[0-9A-Za-z]{6,20}", code):
            self.fail(f"{key}.site_id_code", f"网站标识码格式错误 {code!r}（应为 6-20 位字母数字，如 3300000001）")
        discovery = self.mapping(raw.get("discovery", {}), f"{key}.discovery", {"sitemaps", "feeds", "lists"})
        lists_raw = discovery.get("lists") or []
        if not isinstance(lists_raw, list):
            self.fail(f"{key}.discovery.lists", "应为列表（每项 url 与 pattern）")
        lists = []
        for j, item in enumerate(lists_raw):
            where = f"{key}.discovery.lists[{j}]"
            entry = self.mapping(item, where, {"url", "pattern"})
            if "url" not in entry or "pattern" not in entry:
                self.fail(where, "列表页须同时给出 url 和 pattern（文章链接的正则表达式）")
            lists.append(ListPage(self.url(entry["url"], f"{where}.url"),
                                  self.pattern(entry["pattern"], f"{where}.pattern")))
        sitemaps = tuple(self.url(u, f"{key}.discovery.sitemaps[{j}]")
                         for j, u in enumerate(self.strings(discovery.get("sitemaps"), f"{key}.discovery.sitemaps")))
        feeds = tuple(self.url(u, f"{key}.discovery.feeds[{j}]")
                      for j, u in enumerate(self.strings(discovery.get("feeds"), f"{key}.discovery.feeds")))
        if not (sitemaps or feeds or lists):
            self.fail(f"{key}.discovery", "至少需要一种文章发现方式（sitemaps、feeds 或 lists）")
        notices = tuple(self.pattern(p, f"{key}.notices[{j}]")
                        for j, p in enumerate(self.strings(raw.get("notices"), f"{key}.notices")))
        return SiteConfig(
            name=name,
            key=self.string(raw["key"], f"{key}.key") if "key" in raw else (code or name),
            kind=self.choice(raw.get("kind", "website"), f"{key}.kind", KINDS),
            level=self.choice(raw["level"], f"{key}.level", LEVELS) if raw.get("level") is not None else None,
            parent=self.string(raw["parent"], f"{key}.parent") if raw.get("parent") is not None else None,
            site_id_code=code, sitemaps=sitemaps, feeds=feeds, lists=tuple(lists), notices=notices,
            freshness=self.freshness(raw.get("freshness", {}), f"{key}.freshness", freshness),
            originality=self.originality(raw.get("originality", {}), f"{key}.originality", originality),
            mandatory_sources=self.strings(raw.get("mandatory_sources"), f"{key}.mandatory_sources"),
            attachments=self.boolean(raw.get("attachments", attachments), f"{key}.attachments"))
