"""Train the TYP family's models from the shared data (see models/MODEL_CARD.md).

    python scripts/train_typos.py [lm] [confusion] [classifier] [--data ../shared/data]   (default: all three)

1. lm: character 1-4-gram counts of the official register (laws and regulations,
   government work reports, CPC congress reports) -> models/typos/lm.npz. Every 20th
   document is held out of the counts: errors are injected into it for step 3, so the
   classifier never sees contexts the model has memorised.
2. confusion: candidate characters for each character (pycorrector same-pinyin and
   same-stroke sets plus fuzzy pinyin from pypinyin) -> models/typos/confusion.json.
3. classifier: gradient boosting over candidate features on TRAINING data only
   (ECSpell law/med/odw *.train, SIGHAN 2013/2014, injected errors); a dev split of that
   data calibrates the thresholds -> models/typos/classifier.npz. With TYPOS_WORD_ROUTE=1 the
   corrector also offers word-level candidates (measured and not shipped: MODEL_CARD.md,
   scripts/measure_word_candidates.py).
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import re
import sys
import time
import zlib
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.checks.typos.lm import BOUNDARY, ORDER, UNKNOWN, lm_text, ngram_keys  # noqa: E402
from auditor.resources import MODELS  # noqa: E402
from auditor.text.normalize import is_han, normalize  # noqa: E402

from eval_typos import CSC, DATA, cscd_part, news_held_out, news_sentences  # noqa: E402
from shared_data import add_data_option  # noqa: E402

OUT = MODELS / "typos"
HOLDOUT = 20  # every HOLDOUT-th corpus document is kept out of the LM for error injection
MIN_CHAR = 3  # characters seen fewer times are "unknown"
MIN_COUNT = {1: 1, 2: 1, 3: 2, 4: 2}  # prune rare 3/4-grams (file size; they carry little)
# Share of the clean dev sentences (other registers, the text's own slips included) that
# error-level findings, and all findings, may change.
ERROR_FALSE_ALARMS = 0.004
WARNING_FALSE_ALARMS = 0.005
INJECTED = 4000  # held-out corpus sentences, half of them given an error
NEWS_INJECTED = 6000  # People's Daily sentences, half given a pinyin-input typo of the CSCD-NS kind
# Sample weight of each training set's candidates in the classifier's fit (unlisted sets: 1; none
# listed = an unweighted fit). Experiments override it: TYPOS_SET_WEIGHTS='{"cscd": 6, "clean": 3}'.
# Tried in 2026-12 and not shipped: see MODEL_CARD.md.
SET_WEIGHTS: dict[str, float] = {}
CALIBRATION_SETS: dict[str, float] = {"odw": 1.0}  # dev sets whose mean F1 the thresholds maximise
# Dev sets whose false alarms the ceilings bound (experiments: TYPOS_ALARM_SETS=clean,news).
ALARM_SETS = tuple(os.environ.get("TYPOS_ALARM_SETS", "clean").split(","))
_MD_NOISE = re.compile(r"^(?:#|<!--|---|bookCollapseSection|\s*$)")


def corpus_documents() -> list[list[str]]:
    """Official-register documents as lists of lines (Markdown headings and comments dropped)."""
    docs: list[list[str]] = []
    for path in sorted((DATA / "corpus" / "laws").rglob("*.md")):
        if path.name.startswith("_") or path.name == "法律法规模版.md":
            continue
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
        docs.append([ln for ln in lines if not _MD_NOISE.match(ln)])
    for name in ("government_work_reports.jsonl", "cpc_congress_reports.jsonl"):
        for line in (DATA / "corpus" / "gov_work_reports" / name).open(encoding="utf-8"):
            record = json.loads(line)
            if str(record.get("year", "")).startswith("1954"):
                continue  # written in Traditional characters
            docs.append([ln.strip() for ln in record["content"].splitlines() if ln.strip()])
    return docs


def split_corpus() -> tuple[list[list[str]], list[list[str]]]:
    docs = corpus_documents()
    train = [d for i, d in enumerate(docs) if i % HOLDOUT]
    held = [d for i, d in enumerate(docs) if not i % HOLDOUT]
    return train, held


def build_lm() -> None:
    train, _ = split_corpus()
    text = "\n".join("\n".join(lm_text(normalize(ln)) for ln in doc) for doc in train)
    chars, freq = np.unique(np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32), return_counts=True)
    keep = [(int(c), int(f)) for c, f in zip(chars, freq) if f >= MIN_CHAR and chr(c) != "\n"]
    keep.sort(key=lambda cf: -cf[1])
    alphabet = "".join(chr(c) for c, _ in keep)
    assert len(alphabet) + 2 < 2 ** 16
    lookup = np.full(0x110000, UNKNOWN, dtype=np.uint64)
    lookup[[c for c, _ in keep]] = np.arange(2, len(keep) + 2, dtype=np.uint64)
    lookup[ord("\n")] = BOUNDARY
    ids = lookup[np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)]
    ids = np.concatenate([np.zeros(ORDER - 1, dtype=np.uint64), ids, np.zeros(1, dtype=np.uint64)])
    arrays: dict[str, np.ndarray] = {"chars": np.array(alphabet)}
    for n in range(1, ORDER + 1):
        windows = np.lib.stride_tricks.sliding_window_view(ids, n)
        keys, counts = np.unique(ngram_keys(windows, n), return_counts=True)
        keep_n = counts >= MIN_COUNT[n]
        arrays[f"keys{n}"] = keys[keep_n]
        arrays[f"counts{n}"] = np.minimum(counts[keep_n], 2 ** 32 - 1).astype(np.uint32)
        print(f"order {n}: {keep_n.sum():,} n-grams kept of {len(keys):,}")
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT / "lm.npz", **arrays)
    print(f"lm: {len(ids):,} characters, alphabet {len(alphabet):,}, "
          f"{(OUT / 'lm.npz').stat().st_size / 1e6:.1f} MB")


def _fuzzy(syllable: str) -> str:
    """Fuzzy-pinyin key: the initials and finals editors' input methods confuse."""
    for a, b in (("zh", "z"), ("ch", "c"), ("sh", "s")):
        if syllable.startswith(a):
            syllable = b + syllable[len(a):]
    if syllable.startswith("l"):
        syllable = "n" + syllable[1:]
    for a, b in (("ang", "an"), ("eng", "en"), ("ing", "in")):
        if syllable.endswith(a):
            syllable = syllable[: -len(a)] + b
    return syllable


def build_confusion() -> None:
    """char -> {candidate: type bits}; bits as in auditor.checks.typos.corrector.CONFUSION_TYPES."""
    from pypinyin import Style, pinyin

    from auditor.checks.typos.corrector import CONFUSION_TYPES
    from auditor.checks.typos.engine import pycorrector_data

    with np.load(OUT / "lm.npz") as data:
        alphabet = set(str(data["chars"]))
    table: dict[str, dict[str, int]] = defaultdict(dict)

    def add(a: str, b: str, kind: str) -> None:
        # Any Han character may be wrong (rare ones most of all); only known ones can be right.
        if a != b and is_han(a) and b in alphabet and is_han(b):
            table[a][b] = table[a].get(b, 0) | CONFUSION_TYPES[kind]

    folder = pycorrector_data() or DATA / "lexicons" / "pycorrector_data"
    for line in (folder / "same_pinyin.txt").open(encoding="utf-8"):
        if line.startswith("#"):
            continue
        parts = line.rstrip("\n").split("\t")
        for kind, field in zip(("tone", "pinyin"), parts[1:]):
            for ch in field:
                add(parts[0], ch, kind)
                add(ch, parts[0], kind)
    for line in (folder / "same_stroke.txt").open(encoding="utf-8"):
        group = [ch for ch in line.strip().split("\t") if ch]
        for a in group:
            for b in group:
                add(a, b, "shape")
    by_key: dict[str, set[str]] = defaultdict(set)
    for ch in {ch for ch in alphabet if is_han(ch)}:
        for reading in pinyin(ch, style=Style.NORMAL, heteronym=True)[0]:
            by_key[_fuzzy(reading)].add(ch)
    for group in by_key.values():
        for a in group:
            for b in group:
                add(a, b, "fuzzy")
    for name, pairs in training_pairs().items():
        for src, tgt in pairs:
            if split_of(name, src, tgt) == "train":
                for a, b in zip(src, tgt):
                    add(a, b, "seen")
    out = {a: "".join(f"{b}{bits:02x}" for b, bits in sorted(cands.items())) for a, cands in sorted(table.items())}
    (OUT / "confusion.json").write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
    sizes = [len(c) for c in table.values()]
    print(f"confusion: {len(table):,} characters, mean {np.mean(sizes):.1f} candidates")


_SENTENCE_END = re.compile(r"(?<=[。；！？])")


def injected_pairs(confusion: dict, count: int, rng: random.Random) -> list[tuple[str, str]]:
    """(with error, correct) pairs from held-out corpus sentences: half get one or two
    characters replaced by a confusable one, half stay clean (negatives)."""
    _, held = split_corpus()
    sentences = [s for doc in held for ln in doc for s in _SENTENCE_END.split(normalize(ln))
                 if 8 <= len(s) <= 120 and sum(map(is_han, s)) >= 0.7 * len(s)]
    rng.shuffle(sentences)
    pairs = []
    for tgt in sentences[:count]:
        src = list(tgt)
        if rng.random() < 0.5:
            slots = [i for i, ch in enumerate(tgt) if ch in confusion]
            for i in rng.sample(slots, min(len(slots), 1 if rng.random() < 0.8 else 2)):
                src[i] = rng.choice(confusion[src[i]].chars)
        pairs.append(("".join(src), tgt))
    return pairs


_TAG = re.compile(r"<[^>]+>|&[a-z]+;|\\[rnt]")


def clean_pairs() -> list[tuple[str, str]]:
    """Error-free sentences the LM never saw, from other registers: gov.cn policy pages
    (2018-19) and the CWCED news and government web pages (MIT). Negatives for the
    classifier; their dev fifth measures false alarms for the thresholds."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((DATA / "html" / "cwced" / "cleaned").glob("*.txt"))]
    texts.append(_TAG.sub("\n", (DATA / "corpus" / "govcn_policy" / "ge_policy_raw-20190217.sql").read_text(encoding="utf-8")))
    seen: set[str] = set()
    out = []
    for text in texts:
        for line in normalize(text).splitlines():
            for sentence in _SENTENCE_END.split(line.strip()):
                if 8 <= len(sentence) <= 120 and sum(map(is_han, sentence)) >= 0.7 * len(sentence) \
                        and sentence not in seen:
                    seen.add(sentence)
                    out.append((sentence, sentence))
    return out


def is_dev(src: str) -> bool:
    """The fixed dev fifth of the training data (threshold calibration, never fitted)."""
    return zlib.crc32(src.encode("utf-8")) % 5 == 0


def split_of(name: str, src: str, tgt: str) -> str | None:
    """"train", "dev" (calibration) or None (never used: CSCD-NS's held-out evaluation part)."""
    if name == "cscd":
        part = cscd_part(tgt)
        return None if part == 0 else "dev" if part == 1 else "train"
    return "dev" if is_dev(src) else "train"


def cscd_pairs() -> list[tuple[str, str]]:
    """CSCD-NS dev without its held-out part (eval_typos.py's cscd set)."""
    from eval_typos import read_pairs

    return [(s, t) for s, t in read_pairs(CSC / "cscd_ns" / "dev.json") if cscd_part(t) != 0]


def news_injected(confusion: dict, words: dict, count: int, rng: random.Random) -> list[tuple[str, str]]:
    """Typos of the kind native speakers make with pinyin input, planted in news sentences:
    half the sentences get one, half stay clean. A planted typo is a character pair seen in the
    CSCD-NS training parts (their own frequencies: 惟/唯, 那/哪, 作/做, 在/再 ...), a same-pinyin
    character, or a two-character word replaced by another word of the same pinyin."""
    from pypinyin import Style, lazy_pinyin

    from auditor.checks.typos.corrector import CONFUSION_TYPES

    seen: dict[str, list[str]] = defaultdict(list)  # right -> the wrong characters written for it
    for src, tgt in cscd_pairs():
        if cscd_part(tgt) >= 2:
            for a, b in zip(src, tgt):
                if a != b:
                    seen[b].append(a)
    by_sound: dict[str, list[str]] = defaultdict(list)  # toneless pinyin -> common two-character words
    for w, f in words.items():
        if len(w) == 2 and f >= 200 and all(map(is_han, w)):
            by_sound["".join(lazy_pinyin(w, style=Style.NORMAL))].append(w)
    sound = CONFUSION_TYPES["tone"] | CONFUSION_TYPES["pinyin"]
    sentences = [x for x in news_sentences() if not news_held_out(x)]
    rng.shuffle(sentences)
    pairs = []
    for tgt in sentences[:count]:
        src = tgt
        if rng.random() < 0.5:
            roll = rng.random()
            if roll < 0.4:
                slots = [i for i, ch in enumerate(tgt) if ch in seen]
                if slots:
                    i = rng.choice(slots)
                    src = tgt[:i] + rng.choice(seen[tgt[i]]) + tgt[i + 1:]
            elif roll < 0.8:
                slots = [i for i, ch in enumerate(tgt) if ch in confusion]
                if slots:
                    i = rng.choice(slots)
                    entry = confusion[tgt[i]]
                    alike = [c for c, b in zip(entry.chars, entry.bits.tolist()) if b & sound]
                    if alike:
                        src = tgt[:i] + rng.choice(alike) + tgt[i + 1:]
            else:
                slots = [(i, rivals) for i in range(len(tgt) - 1)
                         if tgt[i:i + 2] in words and (rivals := [w for w in by_sound.get(
                             "".join(lazy_pinyin(tgt[i:i + 2], style=Style.NORMAL)), ()) if w != tgt[i:i + 2]])]
                if slots:
                    i, rivals = rng.choice(slots)
                    src = tgt[:i] + rng.choice(rivals) + tgt[i + 2:]
        pairs.append((src, tgt))
    return pairs


def training_pairs() -> dict[str, list[tuple[str, str]]]:
    """The labelled TRAINING files: ECSpell *.train and SIGHAN 2013/2014 (never a test file)."""
    from eval_typos import read_pairs

    sets = {name: read_pairs(CSC / "ecspell" / f"{name}.train") for name in ("odw", "law", "med")}
    sets["sighan"] = [p for year in (2013, 2014) for p in read_pairs(CSC / "sighan_dev" / f"sighan{year}.dev.json")]
    sets["cscd"] = cscd_pairs()
    return {k: [(normalize(s), normalize(t)) for s, t in v] for k, v in sets.items()}


def classifier_rows(corrector) -> tuple[dict, dict]:
    """The training sets and, per split, (set, source, target, starts, replacements, features,
    labels) of every training sentence's candidates. TYPOS_FEATURE_CACHE keeps them in a file
    for re-fitting without recomputing (development only)."""
    rng = random.Random(13)
    cache = Path(os.environ.get("TYPOS_FEATURE_CACHE", "")) if os.environ.get("TYPOS_FEATURE_CACHE") else None
    if cache and cache.is_file():
        with cache.open("rb") as fh:
            return pickle.load(fh)
    sets = training_pairs()
    sets["injected"] = injected_pairs(corrector.confusion, INJECTED, rng)
    sets["news"] = news_injected(corrector.confusion, corrector.words, NEWS_INJECTED, rng)
    sets["clean"] = clean_pairs()
    rows: dict[str, list] = {"train": [], "dev": []}
    for name, pairs in sets.items():
        for src, tgt in pairs:
            split = split_of(name, src, tgt)
            if split is None:
                continue
            positions, repls, X = corrector.candidates(src)
            y = np.array([tgt[p:p + len(r)] == r for p, r in zip(positions.tolist(), repls)], dtype=int)
            rows[split].append((name, src, tgt, positions, repls, X, y))
        print(f"{name}: {len(pairs)} sentences")
    if cache:
        with cache.open("wb") as fh:
            pickle.dump((sets, rows), fh)
    return sets, rows


def fit_forest(train_rows: list):
    """Gradient-boosted trees over the training candidates (set weights as SET_WEIGHTS /
    TYPOS_SET_WEIGHTS), exported for the corrector."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    from auditor.checks.typos.forest import Forest

    X = np.vstack([r[5] for r in train_rows])
    y = np.concatenate([r[6] for r in train_rows])
    weights = {**SET_WEIGHTS, **json.loads(os.environ.get("TYPOS_SET_WEIGHTS", "{}"))}
    w = np.concatenate([np.full(len(r[6]), weights.get(r[0], 1.0)) for r in train_rows])
    print(f"training candidates {len(y):,}, positive {y.sum():,}; set weights {weights}")
    model = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.1, max_depth=6,
                                           l2_regularization=1.0, random_state=0)
    model.fit(X, y, sample_weight=w if weights else None)  # sklearn's weighted path differs even for ones
    forest = Forest.from_sklearn(model)
    assert np.allclose(forest.predict_proba(X[:2000]), model.predict_proba(X[:2000])[:, 1])
    return forest


def dev_predictions(dev_rows: list, dev_prob: list, cut, names: set[str]) -> list[tuple[str, str, str]]:
    """(source, target, corrected) of the dev sentences of the sets ``names``; ``cut`` is a cut
    for all or a function of a row and its probabilities giving one cut per candidate."""
    from auditor.checks.typos.corrector import select

    out = []
    for row, prob in zip(dev_rows, dev_prob):
        name, src, tgt, positions, repls = row[:5]
        if name in names:
            pred = list(src)
            for c in select(src, positions, repls, prob, cut(row, prob) if callable(cut) else cut):
                pred[c.start:c.start + len(c.right)] = c.right
            out.append((src, tgt, "".join(pred)))
    return out


def calibrate(sets: dict, dev_rows: list, dev_prob: list) -> dict[str, float]:
    """The error and warning cuts on the dev split, with the dev figures printed."""
    from eval_typos import pycorrector_metric, standard_metrics

    def dev_triples(cut: float, names: set[str]) -> list[tuple[str, str, str]]:
        return dev_predictions(dev_rows, dev_prob, cut, names)

    thresholds = {}
    # The dev sets whose correction F1 the thresholds maximise, with their weights: by default real
    # errors in official documents (ECSpell odw dev fifth). Experiments may add CSCD-NS part 1
    # (never fitted): TYPOS_CALIBRATION='{"odw": 1, "cscd": 1}'.
    calibration = {**CALIBRATION_SETS, **json.loads(os.environ.get("TYPOS_CALIBRATION", "{}"))}
    cuts = [float(c) for c in np.round(np.arange(0.30, 0.995, 0.01), 2)]
    scores = {name: {c: standard_metrics(dev_triples(c, {name}))["correction"] for c in cuts}
              for name in calibration}
    # False alarms: the share of clean dev sentences changed and, with "news" in ALARM_SETS, of the
    # error-free half of the People's Daily dev fifth (its held-out tenth is never read here),
    # whichever is higher.
    def alarm_rate(c: float) -> float:
        rates = [np.mean([p != s for s, _, p in dev_triples(c, {"clean"})])]
        if "news" in ALARM_SETS:
            rates.append(np.mean([p != s for s, t, p in dev_triples(c, {"news"}) if s == t]))
        return float(max(rates))

    alarms = {c: alarm_rate(c) for c in cuts}

    def f_beta(c: float, beta: float) -> float:
        total = 0.0
        for name, weight in calibration.items():
            p, r, _ = scores[name][c]
            total += weight * ((1 + beta ** 2) * p * r / (beta ** 2 * p + r) if p + r else 0.0)
        return total / sum(calibration.values())

    # error: the best precision-weighted F0.5 among the cuts that flag at most
    # ERROR_FALSE_ALARMS of the clean dev sentences; warning: the best F1 within WARNING_FALSE_ALARMS.
    for label, ceiling, beta in (("error", ERROR_FALSE_ALARMS, 0.5), ("warning", WARNING_FALSE_ALARMS, 1.0)):
        quiet = [c for c in cuts if alarms[c] <= ceiling] or cuts[-1:]
        thresholds[label] = max(quiet, key=lambda c: (f_beta(c, beta), c))
    thresholds["warning"] = min(thresholds["warning"], thresholds["error"])
    for c in cuts[::2]:
        print(f"dev cut {c:.2f}: " + "; ".join(
            f"{name} correction P {scores[name][c][0]:.3f} R {scores[name][c][1]:.3f} F1 {scores[name][c][2]:.3f}"
            for name in calibration) + f"; clean flagged {alarms[c]:.3%}")
    for name in sets:
        for label, cut in thresholds.items():
            triples = dev_triples(cut, {name})
            p, r, f = standard_metrics(triples)["correction"]
            pp, pr, pf = pycorrector_metric(triples)
            print(f"dev {name} @{label} {cut}: correction P {p:.3f} R {r:.3f} F1 {f:.3f}; pycorrector F1 {pf:.3f}")
    return thresholds


def build_classifier() -> None:
    """Features of every candidate in the training sentences, labelled by the gold
    correction; 80% train the model, the held-out 20% (dev) calibrate the thresholds.
    TYPOS_WORD_ROUTE=1 adds the word-level candidates (an experiment, see MODEL_CARD.md)."""
    word_route = os.environ.get("TYPOS_WORD_ROUTE") == "1"
    if word_route and not os.environ.get("TYPOS_CLASSIFIER_OUT"):
        # The experiment must not replace the shipped classifier by accident.
        print("train_typos.py: TYPOS_WORD_ROUTE=1 needs TYPOS_CLASSIFIER_OUT (a path other than the shipped classifier)",
              file=sys.stderr)
        sys.exit(2)
    from auditor.checks.typos.corrector import Corrector
    from auditor.text.nlp import jieba_tokenizer

    corrector = Corrector.load(OUT, {w: f for w, f in jieba_tokenizer().FREQ.items() if f > 0}, word_route=word_route)
    sets, rows = classifier_rows(corrector)
    corrector.model = fit_forest(rows["train"])
    thresholds = calibrate(sets, rows["dev"], [corrector.probabilities(r[5]) for r in rows["dev"]])
    out = Path(os.environ.get("TYPOS_CLASSIFIER_OUT", OUT / "classifier.npz"))  # experiments: elsewhere
    corrector.model.save(out, error=thresholds["error"], warning=thresholds["warning"],
                         features=np.array(corrector.features))
    print(f"classifier: thresholds {thresholds}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("steps", nargs="*", help="lm, confusion, classifier (default: all three, in this order)")
    add_data_option(parser)
    builds = {"lm": build_lm, "confusion": build_confusion, "classifier": build_classifier}
    steps = parser.parse_args().steps or list(builds)
    if unknown := [s for s in steps if s not in builds]:
        parser.error(f"unknown step {unknown[0]!r} (lm, confusion, classifier)")
    for step in steps:
        t0 = time.time()
        builds[step]()
        print(f"{step}: {time.time() - t0:.1f} s")
