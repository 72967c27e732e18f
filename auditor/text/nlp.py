"""The shared tokenizer: jieba inside a ``spacy.blank("zh")`` pipeline, loaded once per
process and only when a check asks for tokens (cold start stays fast)."""
from __future__ import annotations

import logging
import threading
from functools import lru_cache
from typing import Any

_lock = threading.Lock()


@lru_cache(maxsize=1)
def jieba_tokenizer() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    with _lock:
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
