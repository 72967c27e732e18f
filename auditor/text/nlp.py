"""The shared tokenizer: jieba inside a ``spacy.blank("zh")`` pipeline, loaded once per
process and only when a check asks for tokens (cold start stays fast)."""
from __future__ import annotations

import logging
import sys
import threading
from functools import lru_cache
from typing import Any

_lock = threading.Lock()


def _import_jieba() -> Any:
    """``import jieba``. jieba imports pkg_resources only to open its own data files, and opens
    them by path when that import fails; pkg_resources costs 0.1 s of every cold start, so it
    is hidden while jieba is first imported (never when something else has imported it)."""
    if "jieba" not in sys.modules and "pkg_resources" not in sys.modules:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # import raises ImportError
        try:
            import jieba  # noqa: F401
        finally:
            del sys.modules["pkg_resources"]
    import jieba

    return jieba


@lru_cache(maxsize=1)
def jieba_tokenizer() -> Any:
    with _lock:
        jieba = _import_jieba()
        jieba.setLogLevel(logging.WARNING)
        tok = jieba.Tokenizer()
        tok.initialize()
    return tok


@lru_cache(maxsize=1)
def spacy_pipeline() -> Any:
    """spaCy's blank Chinese pipeline with the jieba segmenter. Never the PyPI
    ``zh-core-web-sm`` package (a hostile stub)."""
    import spacy

    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) with code-point offsets."""
    return [(w, s, e) for w, s, e in jieba_tokenizer().tokenize(text)]
