"""Near-duplicate search against the reference index, and the share of a text reused.

Candidates come from the LSH band keys of the query's units (so one reused paragraph is
enough to find its source); each candidate is then verified on its text: a unit of the query
counts as reused when most of its shingles occur in the candidate. The share reused is the
reused units' characters over all content characters.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Sequence

import numpy as np

from auditor.checks.readers import ReferenceDocument, ReferenceIndex
from auditor.text.fingerprint import SHINGLE, Fingerprint, Unit, signature_from_bytes
from auditor.types import Document

UNIT_CONTAINMENT = 0.5  # share of a unit's shingles found in a reference for the unit to count as reused
MAX_CANDIDATES = 8  # references verified per query, most band hits first


@dataclass(frozen=True)
class ReferenceMatch:
    reference: ReferenceDocument
    share: float  # of the query's content found in this reference
    coverage: float  # of the reference's content found in the query
    jaccard: float  # MinHash estimate over whole documents

    def evidence(self) -> dict[str, Any]:
        ref = self.reference
        return {"id": ref.id, "title": ref.title, "name": ref.name, "url": ref.url, "site": ref.site, "source": ref.source,
                "published_at": ref.published_at.isoformat() if ref.published_at else None, "role": ref.role,
                "share": round(self.share, 3), "coverage": round(self.coverage, 3), "jaccard": round(self.jaccard, 3)}


def reference_label(ref: ReferenceDocument) -> str:
    """How editors know an original: 《its title》, else 《its file name》, else its URL,
    else its number in the index; with the site that published it where known."""
    name = ref.title or ref.name
    label = f"《{name}》" if name else ref.url or f"参照库第 {ref.id} 篇文章"
    return f"{label}（{ref.site}）" if ref.site else label


@dataclass(frozen=True)
class Passage:
    """A run of reused units: offsets into the query text and the reference it came from."""

    start: int
    end: int
    reference: ReferenceDocument
    chars: int


@dataclass(frozen=True)
class Match:
    share: float
    references: tuple[ReferenceMatch, ...]  # best first
    passages: tuple[Passage, ...]

    @property
    def best(self) -> ReferenceMatch | None:
        return self.references[0] if self.references else None


NO_MATCH = Match(0.0, (), ())


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def could_be_source(document: Document, ref: ReferenceDocument) -> bool:
    """A reference can be where the document came from: not the document itself, not the
    same site (an account republishing its own item), not published after it."""
    if document.site and ref.site and document.site == ref.site:
        return False
    if document.url and ref.url == document.url:
        return False
    # The same title and text with no site to tell them apart: the document itself.
    if ref.content_hash == document.content_hash and not (document.site and ref.site):
        return False
    published, ref_published = _utc(document.published_at), _utc(ref.published_at)
    return not (published and ref_published and ref_published > published)


def match_references(index: ReferenceIndex, document: Document, fingerprint: Fingerprint | None = None) -> Match:
    """Near-duplicate search of the document against the index: the references it may come
    from, the share of its text they hold, and the reused passages."""
    fp = fingerprint or Fingerprint(document.text)
    if not fp.units:
        return NO_MATCH
    hits = index.candidates(fp.band_keys)
    if not hits:
        return NO_MATCH
    ranked = sorted(hits, key=lambda i: (-hits[i], i))[:MAX_CANDIDATES * 2]
    refs = [r for r in index.documents(ranked) if could_be_source(document, r)][:MAX_CANDIDATES]
    return verify(fp, refs)


def verify(fp: Fingerprint, refs: Sequence[ReferenceDocument]) -> Match:
    """Which of the query's units each reference contains, and the shares that follow."""
    if not refs or not fp.units:
        return NO_MATCH
    sizes = np.array([u.size for u in fp.units], dtype=np.float64)
    total = sizes.sum()
    query_set = np.unique(fp.shingles)
    query_sig = None
    best_ref = np.full(len(fp.units), -1)
    best_containment = np.zeros(len(fp.units))
    matches: list[ReferenceMatch] = []
    for r, ref in enumerate(refs):
        rfp = Fingerprint(ref.text)
        found = np.isin(fp.shingles, rfp.shingles)
        containment = np.array([_mean(found[u.cstart:max(u.cstart, u.cend - SHINGLE + 1)]) for u in fp.units])
        reused = containment >= UNIT_CONTAINMENT
        if not reused.any():
            continue
        better = reused & (containment > best_containment)
        best_ref[better] = r
        best_containment[better] = containment[better]
        coverage = float(np.isin(np.unique(rfp.shingles), query_set).mean()) if len(rfp.shingles) else 0.0
        if query_sig is None:
            query_sig = fp.minhash()
        jaccard = float(query_sig.jaccard(signature_from_bytes(ref.signature)))
        matches.append(ReferenceMatch(ref, float(sizes[reused].sum() / total), coverage, jaccard))
    if not matches:
        return NO_MATCH
    matches.sort(key=lambda m: (-m.share, _utc(m.reference.published_at) or datetime.max.replace(tzinfo=timezone.utc)))
    share = float(sizes[best_ref >= 0].sum() / total)
    return Match(share, tuple(matches), tuple(_passages(fp.units, best_ref, refs)))


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if len(values) else 0.0


def _passages(units: list[Unit], best_ref: np.ndarray, refs: Sequence[ReferenceDocument]) -> list[Passage]:
    out: list[Passage] = []
    i = 0
    while i < len(units):
        if best_ref[i] < 0:
            i += 1
            continue
        j = i
        while j + 1 < len(units) and best_ref[j + 1] == best_ref[i]:
            j += 1
        out.append(Passage(units[i].start, units[j].end, refs[best_ref[i]], sum(u.size for u in units[i:j + 1])))
        i = j + 1
    return out
