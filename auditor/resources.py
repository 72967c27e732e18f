"""Where the data the project ships lives: ``corpora/`` (curated data with sources) and
``models/`` (trained artefacts with MODEL_CARD.md), both at the repository root."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
MODELS = ROOT / "models"
