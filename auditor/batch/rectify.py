"""Published pages with blocking findings enter the review queue as rectification (整改)
items: one item per article (by URL), raised once however many runs see it."""
from __future__ import annotations

from auditor.pipeline import Auditor
from auditor.review.service import PermissionDenied, ReviewService
from auditor.store import Store
from auditor.store.batch import BatchStore
from auditor.types import Document, Severity

BATCH_USER = "batch"


def raise_rectifications(store: Store, run_id: int, auditor: Auditor | None = None) -> list[int]:
    """Rectification items for this run's articles with blocking findings; returns new item ids."""
    service = ReviewService(store, auditor=auditor)
    created: list[int] = []
    for doc, found in BatchStore(store).audited(run_id):
        if not doc.url or not any(f.severity == Severity.BLOCKER.value for f in found):
            continue
        if service.rectification_for(doc.url) is not None:
            continue
        if not created:
            _ensure_user(service)
        document = Document(text=doc.text, title=doc.title, url=doc.url, published_at=doc.published_at,
                            source=doc.source, site=doc.site_name, author=doc.author, meta=doc.meta,
                            provenance=doc.provenance)
        created.append(service.submit(BATCH_USER, document, kind="rectification", source_document_id=doc.id))
    return created


def _ensure_user(service: ReviewService) -> None:
    try:
        service.user(BATCH_USER)
    except PermissionDenied:
        service.add_user(BATCH_USER, "批量巡检", ["编辑"])
