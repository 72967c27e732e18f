"""What a check may ask of the store: small read-only interfaces.

``auditor.store`` implements them (``reference.ReferenceReader``, ``mandatory.MandatoryReader``)
and the pipeline hands them to every check through ``CheckContext``, so a check never opens a
database, and a test or another host can hand in any object with these members.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Iterable, Mapping, Protocol, Sequence

if TYPE_CHECKING:
    from auditor.checks.mandatory.matching import MandatoryItem


class ReferenceDocument(Protocol):
    """One indexed document as ORG reads it: where it was published and its fingerprint."""

    @property
    def id(self) -> int: ...
    @property
    def url(self) -> str | None: ...
    @property
    def title(self) -> str: ...
    @property
    def site(self) -> str | None: ...
    @property
    def source(self) -> str | None: ...
    @property
    def published_at(self) -> datetime | None: ...
    @property
    def content_hash(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def signature(self) -> bytes: ...
    @property
    def name(self) -> str | None:
        """The file it was indexed from (a draft has no URL), else None."""
        ...


class ReferenceIndex(Protocol):
    """The reference index (higher-level, peer and own articles) as LSH band keys."""

    def count(self) -> int:
        """Documents in the index."""
        ...

    def candidates(self, keys: Iterable[tuple[int, int]]) -> dict[int, int]:
        """Document id -> how many of the (band, bucket) keys it shares."""
        ...

    def documents(self, ids: Sequence[int]) -> Sequence[ReferenceDocument]:
        """The documents with these ids, in the order given (unknown ids left out)."""
        ...


class MandatoryRegistry(Protocol):
    """The mandatory items (必转信息) and the levels of the accounts the store knows."""

    @property
    def items(self) -> Sequence["MandatoryItem"]: ...

    @property
    def levels(self) -> Mapping[str, str | None]:
        """Account -> its level (province, city, county, department) where known."""
        ...
