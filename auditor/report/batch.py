"""What a batch run's report shows, read from the store: per level, site and account figures,
the articles with their findings, what is new and what was fixed, the pages that failed.
The HTML and XLSX renderings read this one object, so they always agree."""
from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from auditor.batch.config import LEVEL_LABELS
from auditor.batch.metrics import PER, Change, changes, is_privacy_leak
from auditor.store import Store
from auditor.store.batch import BatchStore
from auditor.store.models import StoredDocument, StoredFinding

KIND_LABELS = {"website": "网站", "wechat": "微信公众号", "weibo": "微博", "douyin": "抖音", "toutiao": "头条号",
               "app": "客户端", "other": "其他"}
NOT_AVAILABLE = "不可用"


@dataclass(frozen=True)
class SiteFigures:
    site_id: int
    key: str
    name: str
    kind: str
    level: str | None
    parent: str | None
    site_id_code: str | None
    articles: int
    chars: int
    by_family: dict[str, int]
    blockers: int
    privacy: int
    failed: int
    current_articles: int
    freshness: dict[str, Any]
    originality: dict[str, Any]
    mandatory: dict[str, Any]
    new: int
    fixed: int
    attachments: dict[str, int] = field(default_factory=dict)  # audited, with_leaks, leaks, unread

    @property
    def findings(self) -> int:
        return sum(self.by_family.values())

    def per_10k(self, family: str | None = None) -> float:
        count = self.findings if family is None else self.by_family.get(family, 0)
        return round(count * PER / self.chars, 2) if self.chars else 0.0

    @property
    def attachments_label(self) -> str:
        """The 附件 column: 已查 3 个，2 个泄露个人信息（共 5 处），1 个无法读取."""
        a = self.attachments
        if not a.get("audited") and not a.get("unread"):
            return "无"
        text = f"已查 {a.get('audited', 0)} 个"
        if a.get("with_leaks"):
            text += f"，{a['with_leaks']} 个泄露个人信息（共 {a['leaks']} 处）"
        if a.get("unread"):
            text += f"，{a['unread']} 个无法读取"
        return text

    @property
    def stale(self) -> bool:
        return any(v.get("stale") for v in self.freshness.values())

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level or "", "未分级")


@dataclass(frozen=True)
class LevelFigures:
    level: str | None
    sites: int
    articles: int
    chars: int
    by_family: dict[str, int]
    blockers: int
    privacy: int
    failed: int
    stale: int
    below_originality: int | None  # None: the ORG family is not available
    mandatory: dict[str, int] | None  # None: the RPT family is not available

    @property
    def label(self) -> str:
        return LEVEL_LABELS.get(self.level or "", "未分级")

    @property
    def findings(self) -> int:
        return sum(self.by_family.values())

    def per_10k(self, family: str | None = None) -> float:
        count = self.findings if family is None else self.by_family.get(family, 0)
        return round(count * PER / self.chars, 2) if self.chars else 0.0


@dataclass(frozen=True)
class Article:
    document: StoredDocument
    site: str
    findings: tuple[StoredFinding, ...]
    attachments: tuple["Article", ...] = ()  # the files the page links to, each with its findings

    @property
    def blockers(self) -> int:
        return sum(1 for f in self.findings if f.severity == "blocker")

    @property
    def privacy(self) -> int:
        return sum(1 for f in self.findings if is_privacy_leak(f))

    @property
    def masked_note(self) -> str:
        """Why a leaking attachment has no masked copy ('' when it has one or needs none)."""
        masked = self.document.meta.get("masked") or {}
        return masked.get("none", "遮蔽副本文件已不存在" if masked.get("path") else "")

    @property
    def masked_filename(self) -> str:
        """The name its masked copy downloads as (低保名单-已遮蔽.xlsx), not the stored hash."""
        suffix = Path((self.document.meta.get("masked") or {}).get("path") or "").suffix
        return f"{Path(self.document.meta.get('attachment', {}).get('name', '')).stem or self.document.id}-已遮蔽{suffix}"

    @property
    def attachment_findings(self) -> int:
        return sum(len(a.findings) for a in self.attachments)

    @property
    def attachment_leaks(self) -> int:
        return sum(a.privacy for a in self.attachments)


@dataclass(frozen=True)
class BatchReport:
    run_id: int
    status: str
    started_at: datetime
    finished_at: datetime | None
    previous_run_id: int | None
    sites: tuple[SiteFigures, ...]
    levels: tuple[LevelFigures, ...]
    families: tuple[str, ...]
    articles: tuple[Article, ...]
    new: tuple[Change, ...]
    fixed: tuple[Change, ...]
    failures: tuple[tuple[str, str, str], ...]  # (site name, url, error)
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def originality_available(self) -> bool:
        return any(s.originality.get("available") for s in self.sites)

    @property
    def mandatory_available(self) -> bool:
        return any(s.mandatory.get("available") for s in self.sites)


def build_report(store: Store, run_id: int) -> BatchReport:
    bs = BatchStore(store)
    run = bs.run(run_id)
    if run is None or run.kind != "batch":
        raise LookupError(f"没有编号为 {run_id} 的批量检查记录")
    metrics = {m.site_id: m for m in bs.metrics(run_id)}
    sites = [s for s in bs.sites() if s.id in metrics]
    by_id = {s.id: s for s in bs.sites()}
    figures = []
    for site in sites:
        m = metrics[site.id]
        figures.append(SiteFigures(
            site_id=site.id, key=site.key, name=site.name, kind=site.kind, level=site.level,
            parent=by_id[site.parent_id].name if site.parent_id in by_id else None, site_id_code=site.site_id_code,
            articles=m.articles, chars=m.chars, by_family=dict(m.findings_by_family), blockers=m.blockers,
            privacy=m.extra.get("privacy", 0), failed=m.extra.get("failed", 0),
            current_articles=m.extra.get("current_articles", 0), freshness=m.extra.get("freshness", {}),
            originality=m.extra.get("originality", {"available": False}),
            mandatory=m.extra.get("mandatory", {"available": False}), new=m.extra.get("new", 0),
            fixed=m.extra.get("fixed", 0), attachments=m.extra.get("attachments", {})))
    families = tuple(sorted({fam for f in figures for fam in f.by_family}))
    articles, new, fixed = [], [], []
    names = {s.id: s.name for s in sites}
    audited_by_site: dict[int, list[tuple[StoredDocument, list[StoredFinding]]]] = {}
    attached = bs.attachments(run_id)
    for doc, found in bs.audited(run_id):
        site = names.get(doc.site_id, doc.site_name or "")
        files = tuple(Article(d, site, tuple(f)) for d, f in attached.get(doc.url or "", ()))
        articles.append(Article(doc, site, tuple(found), files))
        audited_by_site.setdefault(doc.site_id, []).append((doc, found))
    for site_id, audited in audited_by_site.items():
        n, f = changes(bs, run_id, site_id, audited)
        new += n
        fixed += f
    failures = tuple((names.get(state.site_id, ""), state.url, state.error or "") for state in bs.failures(run_id))
    order = {level: i for i, level in enumerate(LEVEL_LABELS)}
    figures.sort(key=lambda f: (order.get(f.level or "", 99), f.site_id))
    return BatchReport(run_id=run.id, status=run.status, started_at=run.started_at, finished_at=run.finished_at,
                       previous_run_id=bs.previous_run(run_id), sites=tuple(figures),
                       levels=tuple(_levels(figures, order)), families=families, articles=tuple(articles),
                       new=tuple(new), fixed=tuple(fixed), failures=failures, totals=dict(run.counts or {}))


def copy_masked(report: BatchReport, directory: Path) -> dict[int, str]:
    """Copy the masked copies of the report's attachments into ``directory/masked`` (the report
    stays one folder to zip or serve); the path of each, relative to ``directory``, by document id."""
    links: dict[int, str] = {}
    for article in report.articles:
        for att in article.attachments:
            source = Path((att.document.meta.get("masked") or {}).get("path") or "")
            if source.name and source.is_file():
                (directory / "masked").mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, directory / "masked" / source.name)
                links[att.document.id] = f"masked/{source.name}"
    return links


def _levels(figures: list[SiteFigures], order: dict[str, int]) -> list[LevelFigures]:
    groups: dict[str | None, list[SiteFigures]] = {}
    for f in figures:
        groups.setdefault(f.level, []).append(f)
    out = []
    for level, group in sorted(groups.items(), key=lambda kv: order.get(kv[0] or "", 99)):
        families: Counter[str] = Counter()
        for f in group:
            families.update(f.by_family)
        orig = [f.originality for f in group if f.originality.get("available")]
        mand = [f.mandatory for f in group if f.mandatory.get("available")]
        out.append(LevelFigures(
            level=level, sites=len(group), articles=sum(f.articles for f in group), chars=sum(f.chars for f in group),
            by_family=dict(sorted(families.items())), blockers=sum(f.blockers for f in group),
            privacy=sum(f.privacy for f in group), failed=sum(f.failed for f in group),
            stale=sum(1 for f in group if f.stale),
            below_originality=sum(1 for o in orig if o.get("below")) if orig else None,
            mandatory={k: sum(m.get(k, 0) for m in mand) for k in ("on-time", "late", "missed", "not-due")}
            if mand else None))
    return out
