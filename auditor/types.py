"""The two central types and their companions. Frozen dataclasses, no I/O.

Offsets everywhere are half-open code-point offsets into ``Document.text``.
"""
from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Mapping


class Severity(enum.Enum):
    """How bad a finding is. Ordered: blocker > error > warning > info."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"
    BLOCKER = "blocker"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __lt__(self, other: "Severity") -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: "Severity") -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: "Severity") -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: "Severity") -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank

    @property
    def label(self) -> str:
        """Chinese label shown to editors."""
        return _LABEL[self]

    @classmethod
    def parse(cls, value: "str | Severity") -> "Severity":
        if isinstance(value, Severity):
            return value
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            names = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {value!r}; expected one of: {names}") from None


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2, Severity.BLOCKER: 3}
_LABEL = {Severity.INFO: "提示", Severity.WARNING: "警告", Severity.ERROR: "错误", Severity.BLOCKER: "阻断"}


class SegmentKind(enum.Enum):
    TITLE = "title"
    PARAGRAPH = "paragraph"
    SENTENCE = "sentence"


@dataclass(frozen=True, slots=True)
class Segment:
    """A span of ``Document.text`` with a kind (paragraph, sentence, title)."""

    kind: SegmentKind
    start: int
    end: int
    index: int = 0


class FrozenMap(dict):
    """A read-only dict that still pickles (process pools and Ray ship Documents and Findings)."""

    def _readonly(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("FrozenMap is read-only")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _readonly  # type: ignore[assignment]
    __ior__ = _readonly  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (dict(self),))

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(repr(sorted(self.items(), key=repr)))


def _frozen_map(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return value if isinstance(value, FrozenMap) else FrozenMap(value or {})


@dataclass(frozen=True, slots=True)
class Region:
    """A part of ``Document.text`` with its place in the source file (a PDF page, a worksheet),
    so that findings can say where they are. A worksheet with a header row is a table: one line
    per row, cells separated by tabs, its first line the header; ``header`` names the columns
    (by tab position) and ``rows`` gives (offset where the line starts, row number in the sheet)
    for every line, header included."""

    start: int
    end: int
    label: str  # for editors: 第3页, 第2个工作表“花名册”
    header: tuple[str, ...] = ()
    rows: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Document:
    """What ingest produces and every check reads.

    ``text`` is the article body exactly as extracted; ``title`` is kept apart.
    ``source`` is the claimed origin (来源 / ContentSource), ``site`` the publishing
    site (SiteName or the host), ``meta`` everything else read from the page
    (gov meta tags, WeChat fields, author, column), ``provenance`` how we got it
    (url, final url, fetched_at, content type, encoding, file path, kind).
    """

    text: str
    title: str = ""
    url: str | None = None
    published_at: datetime | None = None
    source: str | None = None
    site: str | None = None
    author: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)
    provenance: Mapping[str, Any] = field(default_factory=dict)
    regions: tuple[Region, ...] = ()  # pages and worksheets of a file, in text order

    def __post_init__(self) -> None:
        object.__setattr__(self, "meta", _frozen_map(self.meta))
        object.__setattr__(self, "provenance", _frozen_map(self.provenance))
        object.__setattr__(self, "regions", tuple(self.regions))

    @property
    def kind(self) -> str:
        """'page' for published web/new-media pages, 'draft' for files and stdin."""
        return str(self.provenance.get("kind", "draft"))

    @property
    def file_label(self) -> str:
        """How editors name the file this came from: 附件《x.xlsx》 for a page's attachment,
        《x.xlsx》 for a file, '' for a page or pasted text."""
        attachment = self.meta.get("attachment")
        if isinstance(attachment, Mapping) and attachment.get("name"):
            return f"附件《{attachment['name']}》"
        path = str(self.provenance.get("path") or "")
        return f"《{path.replace(chr(92), '/').rsplit('/', 1)[-1]}》" if path and path != "-" else ""

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(f"{self.title}\n\n{self.text}".encode("utf-8")).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        data = {
            "text": self.text,
            "title": self.title,
            "url": self.url,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "source": self.source,
            "site": self.site,
            "author": self.author,
            "meta": dict(self.meta),
            "provenance": dict(self.provenance),
            "content_hash": self.content_hash,
        }
        if self.regions:
            data["regions"] = [{"start": r.start, "end": r.end, "label": r.label, "header": list(r.header)}
                               for r in self.regions]
        return data


@dataclass(frozen=True)
class Finding:
    """One problem found by one check at one place."""

    code: str
    name: str
    severity: Severity
    start: int
    end: int
    text: str
    message: str
    suggestions: tuple[str, ...] = ()
    confidence: float = 1.0
    evidence: Mapping[str, Any] = field(default_factory=dict)
    # Stable id for the queue and suppressions: code + matched text + the words around it
    # + which occurrence of those it is, so it survives edits elsewhere in the document.
    # The pipeline sets context and occurrence; a bare Finding gets neither.
    fingerprint: str = ""

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad span [{self.start}, {self.end}) for {self.code}")
        object.__setattr__(self, "suggestions", tuple(self.suggestions))
        object.__setattr__(self, "evidence", _frozen_map(self.evidence))
        if not self.fingerprint:
            object.__setattr__(self, "fingerprint", finding_fingerprint(self.code, self.text, 0))

    @property
    def family(self) -> str:
        return self.code.rstrip("0123456789")

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "severity": self.severity.value, "start": self.start,
                "end": self.end, "text": self.text, "message": self.message, "suggestions": list(self.suggestions),
                "confidence": self.confidence, "evidence": _plain(self.evidence), "fingerprint": self.fingerprint}


def finding_fingerprint(code: str, text: str, occurrence: int, context: str = "") -> str:
    key = f"{code}\x1f{text}\x1f{occurrence}" + (f"\x1f{context}" if context else "")
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class Report:
    """The verdict for one document: the document and its findings, sorted by position."""

    document: Document
    findings: tuple[Finding, ...]

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.findings, key=lambda f: (f.start, f.end, -f.severity.rank, f.code)))
        object.__setattr__(self, "findings", ordered)

    @property
    def max_severity(self) -> Severity | None:
        return max((f.severity for f in self.findings), default=None)

    def count_by_severity(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Severity}
        for f in self.findings:
            counts[f.severity.value] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document.to_dict(),
            "findings": [f.to_dict() for f in self.findings],
            "summary": self.count_by_severity(),
        }
