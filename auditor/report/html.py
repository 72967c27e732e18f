"""The batch report as static HTML: ``index.html`` (levels, sites and accounts, charts,
mandatory reposts, new and fixed findings, failed pages) and one page per article with its
findings highlighted. Everything taken from pages is escaped (Jinja2 autoescape); charts
are inline SVG; nothing is loaded from elsewhere."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from auditor.report.batch import Article, BatchReport
from auditor.report.highlight import marked
from auditor.report.render import location_text
from auditor.report.svg import bars_with_limit, stacked_bars
from auditor.text.dates import china_time
from auditor.types import Severity

STATUS_LABELS = {"on-time": "按时转载", "late": "迟转", "missed": "漏转", "not-due": "未到期"}


def local_time(value: datetime | None) -> str:
    if value is None:
        return "未标注"
    return china_time(value)


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("auditor.report", "templates"), autoescape=select_autoescape(["html"]))
    env.filters["dt"] = local_time
    return env


def charts(report: BatchReport) -> dict[str, Markup]:
    sites = report.sites
    findings = stacked_bars("每万字问题数（按检查类别）",
                            [(s.name, {fam: s.per_10k(fam) for fam in report.families}) for s in sites],
                            report.families)
    freshness = bars_with_limit("距上次更新天数（竖线为要求）",
                                [(s.name, s.freshness.get("dynamic", {}).get("days"),
                                  s.freshness.get("dynamic", {}).get("limit")) for s in sites], unit=" 天")
    def percent(value: float | None) -> float | None:
        return None if value is None else round(value * 100)

    originality = bars_with_limit("原创比例（竖线为要求）",
                                  [(s.name, percent(s.originality.get("ratio")), percent(s.originality.get("threshold")))
                                   for s in sites], unit="%", maximum=100, higher_is_better=True)
    return {"findings": Markup(findings), "freshness": Markup(freshness), "originality": Markup(originality)}


def highlight(article: Article) -> Markup:
    return marked(article.document.text, [(f.start, f.end, f.severity, f"{f.code} {f.message}")
                                          for f in article.findings])


def write_html(report: BatchReport, directory: str | Path, masked: dict[int, str] | None = None) -> Path:
    """Write the report into ``directory``; returns the path of index.html. ``masked``: the masked
    copies of attachments by document id, relative to ``directory`` (``copy_masked``)."""
    out = Path(directory)
    (out / "articles").mkdir(parents=True, exist_ok=True)
    env = _environment()
    severity_labels = {s.value: s.label for s in Severity}
    index = out / "index.html"
    index.write_text(env.get_template("batch_index.html").render(r=report, charts=charts(report),
                                                                  status_labels=STATUS_LABELS), encoding="utf-8")
    page = env.get_template("batch_article.html")
    for article in report.articles:
        if article.findings or article.attachment_findings:
            (out / "articles" / f"{article.document.id}.html").write_text(
                page.render(r=report, a=article, highlighted=highlight(article), severity_labels=severity_labels,
                            location_text=location_text, masked=masked or {}),
                encoding="utf-8")
    return index
