from __future__ import annotations

import pytest

from auditor.checks.privacy.engine import PrivacyEngine
from auditor.text import PreparedDocument
from auditor.types import Document


@pytest.fixture(scope="session")
def engine() -> PrivacyEngine:
    return PrivacyEngine()


@pytest.fixture(scope="session")
def find(engine):
    """find(text, kind) -> [(matched text, state)] of the engine's hits of that kind."""

    def run(text: str, kind: str | None = None, *, attr: str = "state") -> list[tuple[str, str]]:
        hits, _ = engine.analyze(PreparedDocument(Document(text=text)))
        return [(text[h.candidate.start:h.candidate.end], getattr(h.candidate, attr) if attr != "severity"
                 else h.severity.value) for h in hits if kind is None or h.candidate.kind == kind]

    return run
