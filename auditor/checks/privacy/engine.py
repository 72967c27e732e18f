"""The privacy pipeline (Presidio-style, explicit and ordered):

recognizers → context enhancement → "not a leak" exclusions → overlap resolution → names and
addresses in personal context → severity → table-like runs of records.
"""
from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass, field
from functools import cached_property

from auditor.checks.privacy.address import HomeAddress
from auditor.checks.privacy.bank_card import BankCard
from auditor.checks.privacy.email import EmailAddress
from auditor.checks.privacy.exclusions import excluded_spans, is_official_phone, is_statistic
from auditor.checks.privacy.hmt_id import HmtIdentityCard
from auditor.checks.privacy.id_card import ResidentIdCard
from auditor.checks.privacy.landline_phone import LandlinePhone
from auditor.checks.privacy.licence_plate import LicencePlate
from auditor.checks.privacy.mask import masked_text
from auditor.checks.privacy.masked import MaskedValue
from auditor.checks.privacy.mobile_phone import MobilePhone
from auditor.checks.privacy.number_recognizer import NumberRecognizer, segment_run
from auditor.checks.privacy.numbers import dotted_mobile_runs, number_runs
from auditor.checks.privacy.passport import PassportNumber
from auditor.checks.privacy.person_name import PersonName
from auditor.checks.privacy.recognizer import CONTEXT_BOOST, Candidate, Recognizer, has_context
from auditor.checks.privacy.records import Layout
from auditor.checks.privacy.travel_permit import TravelPermit
from auditor.text import PreparedDocument
from auditor.types import Severity

MIN_SCORE = 0.5
# Numbers that identify a person on their own: a record line with one of them and a name is a record.
IDENTIFYING = frozenset({"id_card", "mobile", "landline", "bank_card", "address", "passport", "travel_permit", "hmt_id"})
# Kinds reported only where the line is about a private person (elsewhere they are an office's).
PERSONAL_ONLY = frozenset({"landline"})
MIN_TABLE_ROWS = 2


@dataclass(frozen=True)
class Hit:
    """A candidate the engine keeps, with its severity and (on demand) masked form."""

    candidate: Candidate
    severity: Severity
    personal: bool
    text: str = field(repr=False, compare=False)

    @cached_property
    def masked(self) -> str:
        """A worksheet column's finding shows three masked samples of its hundreds of hits."""
        return masked_text(self.candidate, self.text)


@dataclass(frozen=True)
class RecordRun:
    """Consecutive lines that each combine a name with an identifying value."""

    start: int
    end: int
    rows: int


class PrivacyEngine:
    def __init__(self) -> None:
        self.mobile = MobilePhone()
        self.numbers: list[NumberRecognizer] = [ResidentIdCard(), self.mobile, LandlinePhone(), BankCard()]
        self.patterns: list[Recognizer] = [EmailAddress(), PassportNumber(), TravelPermit(), HmtIdentityCard(),
                                           LicencePlate(), MaskedValue()]
        self.names = PersonName()
        self.addresses = HomeAddress()
        self._context = {r.kind: r.context for r in self.numbers + self.patterns}

    def analyze(self, doc: PreparedDocument, *, names: bool = True) -> tuple[list[Hit], list[RecordRun]]:
        """Every kept candidate with its severity; ``names=False`` runs the pattern recognizers only."""
        found: list[Candidate] = []
        for run in number_runs(doc.norm):
            found.extend(segment_run(doc, run, self.numbers))
        for run in dotted_mobile_runs(doc.norm):
            found.extend(segment_run(doc, run, [self.mobile]))
        for rec in self.patterns:
            found.extend(rec.find(doc))
        layout = Layout(doc)
        for c in found:
            words = self._context.get(c.kind, ())
            if c.state == "masked" or not words:
                continue
            if not has_context(doc, c.start, words):
                column = layout.column(c.start) or ""  # a worksheet column named 身份证号 is context too
                if not any(w in column for w in words):
                    continue
            c.score = min(1.0, c.score + CONTEXT_BOOST)
        excluded = SpanIndex(excluded_spans(doc))
        kept = [c for c in found if c.score >= MIN_SCORE and not excluded.overlaps(c.start, c.end)
                and not (c.kind in ("mobile", "landline") and is_official_phone(doc, c))
                and not (c.state != "masked" and is_statistic(doc, c))]
        kept = resolve_overlaps(kept)
        if names:
            anchors = [c for c in kept if c.kind in IDENTIFYING or c.state == "masked"]
            extra = list(self.addresses.find(doc, layout, anchors))
            extra += self.names.find(doc, layout, anchors + extra)
            kept = resolve_overlaps(kept + [c for c in extra if c.score >= MIN_SCORE])
        hits = []
        for c in kept:
            personal = layout.is_personal(c.start)
            if c.kind in PERSONAL_ONLY and not personal and c.state == "leak":
                continue
            hits.append(Hit(c, severity_of(c, personal), personal, doc.text))
        return hits, record_runs(layout, hits)


def severity_of(c: Candidate, personal: bool) -> Severity:
    if c.state == "masked":
        return Severity.INFO
    if c.state == "partial":
        return Severity.ERROR
    if c.state == "suspect":
        return Severity.WARNING
    if c.kind in ("id_card", "bank_card", "address"):
        return Severity.BLOCKER
    if c.kind in ("mobile", "landline"):
        return Severity.BLOCKER if personal else Severity.ERROR
    if c.kind in ("passport", "travel_permit", "hmt_id"):
        return Severity.BLOCKER if c.score >= 0.7 else Severity.ERROR
    if c.kind == "name":
        return Severity.ERROR
    return Severity.ERROR if personal else Severity.WARNING


def resolve_overlaps(cands: list[Candidate]) -> list[Candidate]:
    """Keep the best of overlapping candidates: higher score, then longer. Candidates in different
    clusters (chains of overlaps) never compete, so each cluster is resolved on its own: a list of
    40,000 cells is mostly clusters of one. Kept spans are disjoint, so within a cluster each new one
    is checked against its two neighbours only."""
    kept: list[Candidate] = []
    cluster: list[Candidate] = []
    reach = -1
    for c in sorted(cands, key=lambda c: c.start):
        if cluster and c.start >= reach:
            kept += cluster if len(cluster) == 1 else _best_of(cluster)
            cluster = []
        cluster.append(c)
        reach = max(reach, c.end) if len(cluster) > 1 else c.end
    if cluster:
        kept += cluster if len(cluster) == 1 else _best_of(cluster)
    return kept


def _best_of(cands: list[Candidate]) -> list[Candidate]:
    starts: list[int] = []
    kept: list[Candidate] = []
    for c in sorted(cands, key=lambda c: (-c.score, -c.length, c.start)):
        i = bisect.bisect_left(starts, c.start)
        if (i < len(kept) and kept[i].start < c.end) or (i > 0 and kept[i - 1].end > c.start):
            continue
        starts.insert(i, c.start)
        kept.insert(i, c)
    return kept


def record_runs(layout: Layout, hits: list[Hit]) -> list[RecordRun]:
    by_line: dict[int, set[str]] = {}
    for h in hits:
        if h.candidate.state in ("leak", "suspect", "partial"):
            line = layout.line_at(h.candidate.start)
            if line is not None:
                by_line.setdefault(line.index, set()).add(h.candidate.kind)
    records = sorted(i for i, kinds in by_line.items() if "name" in kinds and kinds & IDENTIFYING)
    runs: list[RecordRun] = []
    group: list[int] = []
    for i in records + [-2]:
        if group and i == group[-1] + 1:
            group.append(i)
            continue
        if len(group) >= MIN_TABLE_ROWS:
            runs.append(RecordRun(layout.lines[group[0]].start, layout.lines[group[-1]].end, len(group)))
        group = [i]
    return runs


class SpanIndex:
    """Does a span overlap any of these (possibly overlapping) spans? Sorted starts plus the
    running maximum of ends answer it with one bisection."""

    def __init__(self, spans: list[tuple[int, int, str]]):
        ordered = sorted((s, e) for s, e, _ in spans)
        self.starts = [s for s, _ in ordered]
        self.max_end = list(itertools.accumulate((e for _, e in ordered), max))

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end)
        return i > 0 and self.max_end[i - 1] > start
