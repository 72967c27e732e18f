"""Kinds that need knowledge beyond a pack: the dated roster of national leaders
(corpora/leaders/) and the administrative divisions (corpora/divisions/)."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from typing import Iterator

import yaml

from auditor.checks.base import CheckContext
from auditor.checks.wording.engine import PackCheck, literal_regex
from auditor.resources import CORPORA
from auditor.text import PreparedDocument
from auditor.types import Finding

LEADERS = CORPORA / "leaders"
DIVISIONS = CORPORA / "divisions"


@dataclass(frozen=True)
class Leader:
    name: str
    rank: str
    titles: tuple[str, ...]
    addressed: tuple[str, ...]


@dataclass(frozen=True)
class Roster:
    as_of: date
    leaders: tuple[Leader, ...]

    @property
    def names(self) -> frozenset[str]:
        return frozenset(p.name for p in self.leaders)

    def holders(self, title: str) -> frozenset[str]:
        return frozenset(p.name for p in self.leaders if title in p.titles)


@lru_cache(maxsize=1)
def roster() -> Roster:
    data = yaml.safe_load((LEADERS / "roster.yaml").read_text(encoding="utf-8"))
    leaders = tuple(Leader(p["name"], p["rank"], tuple(p["titles"]), tuple(p["addressed"])) for p in data["leaders"])
    return Roster(as_of=data["as_of"], leaders=leaders)


@lru_cache(maxsize=1)
def shape_confusion() -> dict[str, str]:
    rows = (LEADERS / "shape_confusion.tsv").read_text(encoding="utf-8").splitlines()
    return {c: similar for c, similar in (r.split("\t") for r in rows if r)}


@lru_cache(maxsize=None)  # one entry per character: a name list asks for the same surnames' neighbours again and again
def _pinyin(ch: str) -> str:
    from pypinyin import Style, pinyin

    return pinyin(ch, style=Style.TONE3, heteronym=False)[0][0]


class LeaderNameCheck(PackCheck):
    """A name one character away from a roster name (same pinyin and tone, or similar shape),
    written next to that leader's own title: 国务院总理李墙, 习近平总书记 → 习进平总书记."""

    context = 16  # characters before the name searched for the leader's title

    def load(self, settings) -> None:
        self.roster = roster()
        self.similar = shape_confusion()
        by_surname: dict[str, list[Leader]] = {}
        for leader in self.roster.leaders:
            by_surname.setdefault(leader.name[0], []).append(leader)
        self.by_surname = by_surname
        self.surnames = re.compile("[" + "".join(by_surname) + "]")

    @cached_property
    def sound(self) -> dict[str, str]:
        """Pinyin of the roster's characters, on first need (pypinyin's tables take 0.3 s)."""
        return {c: _pinyin(c) for p in self.roster.leaders for c in p.name}

    def _near(self, leader: Leader, window: str) -> bool:
        diffs = [(a, b) for a, b in zip(leader.name, window) if a != b]
        if len(diffs) != 1:
            return False
        right, wrong = diffs[0]
        return wrong in self.similar.get(right, "") or (
            "\u4e00" <= wrong <= "\u9fff" and _pinyin(wrong) == self.sound[right])

    def run(self, doc: PreparedDocument, ctx: CheckContext) -> Iterator[Finding]:
        spec = self.specs[0]
        text = doc.norm
        names = self.roster.names
        for m in self.surnames.finditer(text):
            start = m.start()
            for leader in self.by_surname[m.group()]:
                end = start + len(leader.name)
                window = text[start:end]
                if window in names or not self._near(leader, window):
                    continue
                before = text[max(0, start - self.context):start]
                after = text[end:end + 4]
                if not (any(t in before for t in leader.titles) or any(after.startswith(t) for t in leader.addressed)):
                    continue
                if self.excepted(doc, start, end, spec.exceptions):
                    continue
                yield self.emit(doc, spec, start, end, suggestions=(leader.name,),
                                values={"right": leader.name}, evidence={"roster_as_of": str(self.roster.as_of)})


class LeaderTitleCheck(PackCheck):
    """A roster leader given a title the roster says someone else holds: 国务院总理赵乐际,
    李强总书记. Only roster names are judged, so historical office-holders are left alone."""

    def load(self, settings) -> None:
        self.roster = roster()
        self.by_name = {p.name: p for p in self.roster.leaders}
        titles = {t for p in self.roster.leaders for t in p.titles if t.startswith(("国", "全国", "中共中央总", "中央", "最高"))}
        self.title_then_name = re.compile(
            "(?P<title>" + literal_regex(titles).pattern + ")(?:同志)?(?P<name>" + literal_regex(self.by_name).pattern + ")")
        addressed = {"总书记", "总理", "委员长", "副总理", "副委员长", "国务委员"}
        self.addressed = addressed
        self.name_then_title = re.compile(
            "(?P<name>" + literal_regex(self.by_name).pattern + ")(?:同志)?(?P<title>" + literal_regex(addressed).pattern + ")")

    def run(self, doc: PreparedDocument, ctx: CheckContext) -> Iterator[Finding]:
        spec = self.specs[0]
        text = doc.norm
        for m in self.title_then_name.finditer(text):
            title, name = m.group("title"), m.group("name")
            holders = self.roster.holders(title)
            if name in holders or not holders:
                continue
            yield from self._emit(doc, spec, m, title, name, sorted(holders))
        for m in self.name_then_title.finditer(text):
            name, title = m.group("name"), m.group("title")
            leader = self.by_name[name]
            if title in leader.addressed or (title == "副总理" and "总理" in leader.addressed):
                continue
            holders = [p.name for p in self.roster.leaders if title in p.addressed]
            yield from self._emit(doc, spec, m, title, name, holders)

    def _emit(self, doc, spec, m, title, name, holders) -> Iterator[Finding]:
        if self.excepted(doc, m.start(), m.end(), spec.exceptions):
            return
        leader = self.by_name[name]
        suggestions = [f"{t}{name}" for t in leader.titles if t.startswith(("国", "全国", "中共中央", "中央", "最高"))][:2]
        yield self.emit(doc, spec, m.start(), m.end(), suggestions=suggestions,
                        values={"name": name, "title": title, "holders": "、".join(holders),
                                "right": "、".join(leader.titles)},
                        evidence={"roster_as_of": str(self.roster.as_of)})


@lru_cache(maxsize=1)
def prefectures() -> dict[str, frozenset[str]]:
    """Province-level unit → the prefecture-level units (and directly governed counties) in it."""
    out: dict[str, set[str]] = {}
    with (DIVISIONS / "prefectures.tsv").open(encoding="utf-8") as f:
        for province, unit in csv.reader(f, delimiter="\t"):
            out.setdefault(province, set()).add(unit)
    return {k: frozenset(v) for k, v in out.items()}


def _short(unit: str) -> str | None:
    """张家界市 → 张家界, 大兴安岭地区 → 大兴安岭; autonomous prefectures keep their full name
    (the short 海南 of 海南藏族自治州 is a province's name)."""
    for suffix in ("地区", "市"):
        if unit.endswith(suffix) and len(unit) - len(suffix) >= 2:
            return unit[: -len(suffix)]
    return None


class DivisionHierarchyCheck(PackCheck):
    """A province followed by a prefecture of another province: 湖北省张家界 (张家界 is in 湖南省),
    四川省重庆市 (重庆 is itself a municipality)."""

    def load(self, settings) -> None:
        tree = prefectures()
        self.home: dict[str, set[str]] = {}  # unit name (full or short) → provinces it belongs to
        for province, units in tree.items():
            for unit in units:
                for name in filter(None, (unit, _short(unit))):
                    self.home.setdefault(name, set()).add(province)
        provinces = [p for p in tree if p.endswith(("省", "自治区"))]
        self.regex = re.compile("(?P<province>" + literal_regex(provinces).pattern + ")(?P<unit>"
                                + literal_regex(self.home).pattern + ")")

    def run(self, doc: PreparedDocument, ctx: CheckContext) -> Iterator[Finding]:
        spec = self.specs[0]
        for m in self.regex.finditer(doc.norm):
            province, unit = m.group("province"), m.group("unit")
            homes = self.home[unit]
            if unit.startswith("长") and not unit.endswith("市"):
                continue  # 辽宁省长春节: 省长 (governor) followed by 春节, not 长春
            if unit.endswith(("省", "自治区")):
                continue  # 江苏省浙江省: a missing 顿号 between two provinces, not a hierarchy
            if province in homes or self.excepted(doc, m.start(), m.end(), spec.exceptions, token=spec.token):
                continue
            right = sorted(homes)[0]
            suggestion = unit if right == unit or right.startswith(unit) else f"{right}{unit}"
            yield self.emit(doc, spec, m.start(), m.end(), suggestions=(suggestion,),
                            values={"province": province, "unit": unit, "right": right})


@lru_cache(maxsize=1)
def renamed_divisions() -> dict[str, tuple[date, str, str]]:
    out = {}
    with (DIVISIONS / "renames.tsv").open(encoding="utf-8") as f:
        for day, old, new, parent in csv.reader(f, delimiter="\t"):
            out[old] = (date.fromisoformat(day), new, parent)
    return out


class RenamedDivisionCheck(PackCheck):
    """A county, city or district under the name it had before an approved change (神木县 →
    神木市 since 2017-04-09). Documents dated before the change are not checked; 原神木县 is
    history. Matches must be whole jieba words (任县 is not found in 责任县)."""

    def load(self, settings) -> None:
        self.renames = renamed_divisions()
        self.regex = literal_regex(self.renames)

    def run(self, doc: PreparedDocument, ctx: CheckContext) -> Iterator[Finding]:
        spec = self.specs[0]
        published = doc.document.published_at
        for m in self.regex.finditer(doc.norm):
            changed, new, parent = self.renames[m.group()]
            if published is not None and published.date() < changed:
                continue
            if self.excepted(doc, m.start(), m.end(), spec.exceptions, token=True):
                continue
            yield self.emit(doc, spec, m.start(), m.end(), suggestions=(new,),
                            values={"term": m.group(), "right": new, "since": changed.isoformat(), "parent": parent})

