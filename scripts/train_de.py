"""Train the 的/地/得 classifier (TYP005) -> models/typos/de.npz.

    python scripts/train_de.py [--data ../shared/data] [--out models/typos/de.npz]

Self-supervised: every 的, 地 and 得 in correct text is an example labelled with itself
(features never read the particle). Text: the correct side of the de3 train part, laws and
government/congress reports (not the 20th documents, which are clean dev text), the targets of
ECSpell *.train, SIGHAN 2013/14 and CSCD-NS dev parts 1-4. de3 is split by CRC32(correct_text)
mod 100: < 70 train, 70-84 dev (the margin is chosen on it), >= 85 test (eval_typos.py's de3
set, never read here). A multinomial logistic regression (scikit-learn, lbfgs) over hashed
sparse features is fitted and exported as a plain weight array. The margin is the smallest
log-odds cut whose corrections change at most CLEAN_BUDGET of the clean dev sentences (de3 dev
correct sides and held-out corpus sentences); the figures are printed.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from shared_data import DATA, add_data_option  # noqa: E402

from auditor.checks.typos.particles import (DIM, PARTICLES, Featurizer, ParticleModel,  # noqa: E402
                                           general_features, jieba_tags)
from auditor.checks.typos.wordlm import GeneralLM  # noqa: E402
from auditor.resources import MODELS  # noqa: E402

DE3 = DATA / "csc" / "de3" / "gen_de3.json"
TRAIN_PART, DEV_PART = 70, 85  # CRC32(correct_text) % 100: < 70 train, 70-84 dev, >= 85 test
HOLDOUT = 20  # every 20th corpus document (as in train_typos.py) is clean dev text
CLEAN_BUDGET = 0.001  # share of clean dev sentences TYP005 may change
DE3_WEIGHT = 5.0  # in-domain examples count this many times
MAX_SENTENCE = 200
_SPLIT = re.compile(r"(?<=[。！？；!?;])")


def de3_part(correct: str) -> int:
    return zlib.crc32(correct.encode("utf-8")) % 100


def de3_pairs(part: str) -> list[tuple[str, str]]:
    """(original, correct) pairs of the de3 part named train or dev (the test part is eval_typos.py's)."""
    records = json.loads(DE3.read_text(encoding="utf-8"))
    lo, hi = {"train": (0, TRAIN_PART), "dev": (TRAIN_PART, DEV_PART)}[part]
    return [(r["original_text"], r["correct_text"]) for r in records if lo <= de3_part(r["correct_text"]) < hi]


def sentences_of(lines) -> list[str]:
    out = []
    for line in lines:
        for s in _SPLIT.split(line.strip()):
            if 4 <= len(s) <= MAX_SENTENCE:
                out.append(s)
    return out


def corpus_text() -> tuple[list[str], list[str]]:
    """Official-register sentences: (training, held-out 20th documents)."""
    from train_typos import corpus_documents

    from auditor.text.normalize import normalize

    train, held = [], []
    for k, doc in enumerate(corpus_documents()):
        (held if k % HOLDOUT == 0 else train).extend(sentences_of(normalize(ln) for ln in doc))
    return train, held


def other_targets() -> list[str]:
    """Correct sides of the CSC training sets (CSCD-NS part 0 is eval_typos.py's held-out set)."""
    from eval_typos import cscd_part, read_pairs

    csc = DATA / "csc"
    out = []
    for name in ("law", "med", "odw"):
        out += [t for _, t in read_pairs(csc / "ecspell" / f"{name}.train")]
    for name in ("sighan2013.dev.json", "sighan2014.dev.json"):
        out += [t for _, t in read_pairs(csc / "sighan_dev" / name)]
    out += [t for _, t in read_pairs(csc / "cscd_ns" / "dev.json") if cscd_part(t) != 0]
    return out


def examples(featurizer: Featurizer, general, texts: list[str]):
    """Hashed feature ids, general-LM features and labels of every particle in ``texts``."""
    rows, labels, places = [], [], []
    for text in texts:
        for i, ch in enumerate(text):
            if ch in PARTICLES:
                rows.append(featurizer.ids(text, i))
                labels.append(PARTICLES.index(ch))
                places.append((text, i))
    dense = np.concatenate([general_features(general, places[k:k + 4096]) for k in range(0, len(places), 4096)]
                           or [np.zeros((0, 3))])
    return rows, dense, labels


def fit(rows, dense, labels, weights, c: float) -> tuple[np.ndarray, np.ndarray]:
    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import LogisticRegression

    indptr = np.cumsum([0] + [len(r) for r in rows])
    x = csr_matrix((np.ones(indptr[-1], dtype=np.float32), np.concatenate(rows), indptr), shape=(len(rows), DIM))
    x.sum_duplicates()
    x = hstack([x, csr_matrix(dense.astype(np.float32))], format="csr")
    model = LogisticRegression(C=c, max_iter=400, tol=1e-5)
    model.fit(x, np.array(labels), sample_weight=np.array(weights))
    w = np.zeros((3, DIM + 3), dtype=np.float32)
    w[model.classes_] = model.coef_
    w[model.classes_, zlib.crc32(b"b") & (DIM - 1)] += model.intercept_  # the bias feature carries it
    w = w.astype(np.float16).astype(np.float32)  # as shipped
    return w[:, :DIM], w[:, DIM:]


def corrected(model: ParticleModel, text: str, margin: float) -> str:
    chars = list(text)
    for fix in model.fixes(text, margin=margin):
        chars[fix.pos] = fix.right
    return "".join(chars)


def sentence_f1(model: ParticleModel, pairs, margin: float) -> tuple[float, float, float]:
    changed = right = 0
    for s, t in pairs:
        p = corrected(model, s, margin)
        changed += p != s
        right += p == t and p != s
    erroneous = sum(s != t for s, t in pairs)
    prec, rec = right / changed if changed else 0.0, right / erroneous
    return prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0.0


def best_margins(model: ParticleModel, texts: list[str]) -> np.ndarray:
    """Per sentence, the largest margin any correction would have (0 where none): the sentence
    is changed at every cut below it."""
    out = np.zeros(len(texts))
    for k, text in enumerate(texts):
        fixes = model.fixes(text, margin=0.0)
        out[k] = max((f.margin for f in fixes), default=0.0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    add_data_option(parser)
    parser.add_argument("--out", type=Path, default=MODELS / "typos" / "de.npz")
    parser.add_argument("--c", type=float, default=1.0, help="inverse L2 strength")
    args = parser.parse_args()
    from auditor.text.nlp import jieba_tokenizer

    t0 = time.perf_counter()
    featurizer = Featurizer(jieba_tokenizer().FREQ, jieba_tags())
    general = GeneralLM.load(MODELS / "typos" / "open-gram.npz")
    train_pairs, dev_pairs = de3_pairs("train"), de3_pairs("dev")
    corpus_train, corpus_held = corpus_text()
    cache = Path(os.environ["DE_FEATURE_CACHE"]) if os.environ.get("DE_FEATURE_CACHE") else None
    if cache is not None and cache.is_file():  # re-fitting only (features unchanged)
        with np.load(cache) as z:
            rows = np.split(z["indices"], z["indptr"][1:-1])
            dense, labels, weights = z["dense"], z["labels"].tolist(), z["weights"].tolist()
    else:
        rows, dense, labels = examples(featurizer, general, [t for _, t in train_pairs])
        weights = [DE3_WEIGHT] * len(labels)
        for texts in (corpus_train, other_targets()):
            r, d, lab = examples(featurizer, general, [t for t in texts if any(p in t for p in PARTICLES)])
            rows += r
            dense = np.concatenate([dense, d])
            labels += lab
            weights += [1.0] * len(lab)
        if cache is not None:
            np.savez(cache, indices=np.concatenate(rows), indptr=np.cumsum([0] + [len(r) for r in rows]),
                     dense=dense, labels=np.array(labels), weights=np.array(weights))
    print(f"{len(rows)} examples ({np.bincount(labels, minlength=3).tolist()} of {PARTICLES}), "
          f"features in {time.perf_counter() - t0:.0f} s")
    t0 = time.perf_counter()
    hashed, dense_w = fit(rows, dense, labels, weights, args.c)
    print(f"fitted in {time.perf_counter() - t0:.0f} s")
    model = ParticleModel(hashed, dense_w, 0.0, featurizer, general)

    clean = [t for _, t in dev_pairs] + [s for s in corpus_held if any(p in s for p in PARTICLES)][:20000]
    clean_margins = best_margins(model, clean)
    chosen = None
    for cut in np.arange(0.0, 12.01, 0.25):
        share = float((clean_margins > cut).mean())
        p, r, f = sentence_f1(model, dev_pairs, cut)
        print(f"margin {cut:5.2f}: de3 dev sentence correction P {p:.3f} R {r:.3f} F1 {f:.3f} | "
              f"clean dev changed {share:.3%}")
        if chosen is None and share <= CLEAN_BUDGET:
            chosen = float(cut)
    chosen = 12.0 if chosen is None else chosen
    p, r, f = sentence_f1(model, dev_pairs, chosen)
    print(f"chosen margin {chosen:.2f}: de3 dev P {p:.3f} R {r:.3f} F1 {f:.3f} "
          f"({len(dev_pairs)} sentences; {len(clean)} clean dev sentences)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, weights=hashed.astype(np.float16), dense=dense_w.astype(np.float16),
                        margin=np.float32(chosen),
                        classes=np.array(list(PARTICLES)), dim=np.int64(DIM))
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
