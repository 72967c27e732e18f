"""Published pages with blocking findings enter the review queue as rectification (整改)
items: one item per article (by URL), raised once however many runs see it. An attachment with
blocking findings (a 名单 that publishes ID numbers) is an item of its own, titled by the
attachment and where its leaks are (worksheet, rows, column; PDF page)."""
from __future__ import annotations

from auditor.pipeline import Auditor
from auditor.report.render import location_text
from auditor.review.service import PermissionDenied, ReviewService
from auditor.store import Store
from auditor.store.batch import BatchStore
from auditor.store.models import StoredDocument, StoredFinding
from auditor.types import Document, Severity

BATCH_USER = "batch"


def raise_rectifications(store: Store, run_id: int, auditor: Auditor | None = None) -> list[int]:
    """Rectification items for this run's articles with blocking findings; returns new item ids."""
    service = ReviewService(store, auditor=auditor)
    bs = BatchStore(store)
    created: list[int] = []
    attached = [(doc, found, _attachment_title(doc, found)) for docs in bs.attachments(run_id).values()
                for doc, found in docs]
    for doc, found, title in [(d, f, d.title) for d, f in bs.audited(run_id)] + attached:
        if not doc.url or not any(f.severity == Severity.BLOCKER.value for f in found):
            continue
        if service.rectification_for(doc.url) is not None:
            continue
        if not created:
            _ensure_user(service)
        document = Document(text=doc.text, title=title, url=doc.url, published_at=doc.published_at,
                            source=doc.source, site=doc.site_name, author=doc.author, meta=doc.meta,
                            provenance=doc.provenance)
        created.append(service.submit(BATCH_USER, document, kind="rectification", source_document_id=doc.id))
    return created


MAX_PLACES = 3  # places named in an attachment item's title


def _attachment_title(doc: StoredDocument, found: list[StoredFinding]) -> str:
    """附件《名单.xlsx》整改：第2个工作表“花名册” 第3–122行 “身份证号”列、“联系电话”列；第2页"""
    name = (doc.meta.get("attachment") or {}).get("name") or doc.title
    columns: dict[str, list[str]] = {}  # place (sheet and rows, page) -> its columns with leaks
    for f in found:
        if f.severity != Severity.BLOCKER.value:
            continue
        location = {k: v for k, v in (f.evidence.get("location") or {}).items()
                    if k not in ("attachment", "url", "column")}
        column = (f.evidence.get("location") or {}).get("column")
        listed = columns.setdefault(location_text(location) or f.text[:20], [])
        label = "" if not column else str(column) if str(column).startswith("第") else f"“{column}”列"
        if label and label not in listed:
            listed.append(label)
    places = [f"{place} {'、'.join(cols)}" if cols else place for place, cols in columns.items()]
    more = f" 等 {len(places)} 处" if len(places) > MAX_PLACES else ""
    return f"附件《{name}》整改：" + "；".join(places[:MAX_PLACES]) + more


def _ensure_user(service: ReviewService) -> None:
    try:
        service.user(BATCH_USER)
    except PermissionDenied:
        service.add_user(BATCH_USER, "批量巡检", ["编辑"])
