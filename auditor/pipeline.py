"""The pipeline: a source becomes a Document (ingest), the Auditor runs the checks over it.

The Auditor loads the checks and their resources once, and opens what they may read of the
store (the reference index, the mandatory registry) for them: checks never open it.
"""
from __future__ import annotations

import gc
import re
import threading
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Iterable, Iterator, Mapping, Sequence

from auditor.checks.base import Check, CheckContext
from auditor.checks.registry import check_selectors, discover_checks, matches
from auditor.settings import FetchOptions, Settings
from auditor.store_url import missing_sqlite, resolve_url
from auditor.text import PreparedDocument
from auditor.text.tables import RegionIndex
from auditor.types import Document, Finding, Report, finding_fingerprint

if TYPE_CHECKING:
    from auditor.ingest import Attachment

__all__ = ["Auditor", "read_source"]

_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def read_source(source: str, options: FetchOptions | None = None) -> Document:
    """A URL, a file path, or '-' for standard input, as a Document; raises
    auditor.ingest.IngestError when it cannot be read."""
    from auditor.ingest import load_url, read_path, read_stream  # not on `import auditor`: 50 ms

    if source == "-":
        return read_stream(options=options)
    if _URL.match(source):
        return load_url(source, options)
    return read_path(source, options)


class Auditor:
    """Runs the registered checks over Documents.

    >>> auditor = Auditor()
    >>> report = auditor.audit(Document(text="……"))
    """

    def __init__(self, settings: Settings | None = None, *, select: Sequence[str] | None = None,
                 ignore: Sequence[str] | None = None):
        self.settings = settings or Settings()
        self.select = tuple(select if select is not None else self.settings.checks.select)
        self.ignore = tuple(ignore if ignore is not None else self.settings.checks.ignore)
        check_selectors(self.select + self.ignore)
        self._ctx = CheckContext(settings=self.settings)
        self.checks: list[Check] = [c for c in discover_checks() if any(self._enabled(r.code) for r in c.rules)]
        self._loaded = False

    def _enabled(self, code: str) -> bool:
        if self.select and not matches(code, self.select):
            return False
        return not matches(code, self.ignore)

    def load(self) -> "Auditor":
        """Load every check's resources now (otherwise on the first audit)."""
        if not self._loaded:
            for check in self.checks:
                check.load(self.settings)
            self._ctx = self._context()
            self._loaded = True
        return self

    def _context(self) -> CheckContext:
        """The store's reference index and mandatory registry, opened only when an enabled
        check reads them and only when the database already holds some (never created)."""
        references = mandatory = None
        if any(c.reads_references or c.reads_mandatory for c in self.checks):
            url = resolve_url(self.settings.db_url)
            if not missing_sqlite(url):  # told without SQLAlchemy's import (0.4 s of a cold start)
                from auditor.store.mandatory import open_registry
                from auditor.store.reference import open_reader

                if any(c.reads_references for c in self.checks):
                    references = open_reader(url)
                if any(c.reads_mandatory for c in self.checks):
                    mandatory = open_registry(url)
        return CheckContext(settings=self.settings, references=references, mandatory=mandatory)

    def audit(self, document: Document) -> Report:
        self.load()
        with collector_paused():
            prepared = PreparedDocument(document)
            findings: list[Finding] = []
            for check in self.checks:
                findings.extend(f for f in check.run(prepared, self._ctx) if self._enabled(f.code))
            findings = _drop_allowed(findings, prepared, self.settings.profile.allow_terms)
            findings = _locate(findings, document)
            return Report(document=document, findings=tuple(_number_occurrences(findings, document.text)))

    def audit_source(self, source: str) -> Report:
        """Read a URL, file or '-' with the settings' fetch options, and audit it."""
        return self.audit(read_source(source, self.settings.fetch))

    def audit_url(self, url: str, attachments: bool = False) -> list[Report]:
        """A page (with ``attachments``, also the files it links to, limited by
        ``settings.attachments``: the page's report first, then one per attachment read), or a
        file served at ``url`` (.pdf .xlsx .docx …), read as an attachment: one report per
        document it holds."""
        from auditor.ingest import load_documents

        documents, linked = load_documents(url, self.settings.fetch, self.settings.attachments, linked=attachments)
        if documents[0].provenance.get("kind") == "attachment":
            return [self.audit(d) for d in documents]
        return self.audit_attachments(documents[0], linked)

    def audit_attachments(self, page: Document, attachments: Sequence["Attachment"]) -> list[Report]:
        """Read each fetched attachment (ingest) and audit it with every check; the page keeps the
        list in ``meta["attachments"]`` (name, URL, and the error of each one not read, which
        ATT002 reports on the page), so nothing is passed over in silence."""
        from auditor.ingest import IngestError, read_attachment

        documents: list[Document] = []
        listed: list[dict[str, str]] = []
        for attachment in attachments:
            try:
                read = read_attachment(attachment, page.url, self.settings.fetch)
            except IngestError as exc:
                listed.append({"name": attachment.link.name, "url": attachment.link.url, "error": str(exc)})
                continue
            listed += [{"name": d.meta["attachment"]["name"], "url": d.url or ""} for d in read]
            documents += read
        if listed:
            page = replace(page, meta={**page.meta, "attachments": listed})
        return [self.audit(page)] + [self.audit(d) for d in documents]

    def audit_many(self, documents: Iterable[Document]) -> Iterator[Report]:
        for document in documents:
            yield self.audit(document)


_audits_running = 0
_collector_was_enabled = False
_collector_lock = threading.Lock()


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while audits run (as ``timeit`` does when it times): an audit
    makes many short-lived objects, and each full collection it set off would walk the hundreds of
    thousands that the loaded models and dictionaries hold — a fifth of the audit time of a
    10,000-row worksheet. Audits make few cycles; what they leave is collected after the last one."""
    global _audits_running, _collector_was_enabled
    with _collector_lock:
        if _audits_running == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _audits_running += 1
    try:
        yield
    finally:
        with _collector_lock:
            _audits_running -= 1
            if _audits_running == 0 and _collector_was_enabled:
                gc.enable()


def _drop_allowed(findings: list[Finding], doc: PreparedDocument, terms: Sequence[str]) -> list[Finding]:
    """The organisation's allow-list: a finding that lies inside an allowed term is dropped."""
    if not terms or not findings:
        return findings
    spans: list[tuple[int, int]] = []
    for term in terms:
        start = doc.text.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = doc.text.find(term, start + 1)
    return [f for f in findings
            if f.start == f.end or not any(s <= f.start and f.end <= e for s, e in spans)]


def _locate(findings: list[Finding], document: Document) -> list[Finding]:
    """Where each finding lies in the file it came from (PDF page; worksheet, row and column) and
    which attachment of which page: editors fix the file, not our text of it. A finding that
    placed itself (a worksheet column's finding names its rows) keeps its location."""
    attachment = document.meta.get("attachment")
    if not document.regions and not attachment:
        return findings
    index = RegionIndex(document.text, document.regions)
    out = []
    for f in findings:
        location: dict[str, object] = {}
        if isinstance(attachment, Mapping):
            location.update({"attachment": attachment.get("name"), "url": attachment.get("url")})
        if f.evidence.get("location"):
            location.update(f.evidence["location"])
        elif f.end > f.start and (place := index.place(f.start)) is not None:
            location["region"] = index.regions[place.region].label
            if place.row is not None:
                location["row"] = place.row
                if column := index.column_name(place):
                    location["column"] = column
        out.append(replace(f, evidence={**f.evidence, "location": location}))
    return out


FINGERPRINT_CONTEXT = 6  # letters, digits or Han characters after the finding, in its paragraph


def _number_occurrences(findings: list[Finding], text: str) -> list[Finding]:
    """Fingerprints that survive edits elsewhere: code, matched text, the words that follow it in
    its paragraph (punctuation and spaces skipped, so fixing the punctuation next door changes
    nothing) and, for repeats of all three, which occurrence it is. Fixing one of five half-width
    colons leaves the other four with the fingerprints they had (numbering alone would pass the
    first one's on to the second). What follows, in the paragraph, as editors add in front (a
    heading, a 修订 mark) and add paragraphs (特此通知, 落款); at a paragraph's end, what
    precedes it."""
    seen: dict[tuple[str, str, str], int] = {}
    out = []
    for f in sorted(findings, key=lambda f: (f.start, f.end, f.code)):
        context = _context(text, f.start, f.end) if f.end > f.start else ""
        n = seen.get((f.code, f.text, context), 0)
        seen[(f.code, f.text, context)] = n + 1
        out.append(replace(f, fingerprint=finding_fingerprint(f.code, f.text, n, context)))
    return out


def _context(text: str, start: int, end: int, k: int = FINGERPRINT_CONTEXT) -> str:
    after = [c for c in text[end:end + 8 * k].split("\n", 1)[0] if c.isalnum()][:k]
    if len(after) == k:
        return "".join(after)
    # at a paragraph's end (如下:) the words before it stand in for the missing ones
    before = [c for c in text[max(0, start - 8 * k):start].rsplit("\n", 1)[-1] if c.isalnum()]
    return "".join(after) + "\x1f" + "".join(before[len(before) - (k - len(after)):])
