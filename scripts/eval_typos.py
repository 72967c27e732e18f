"""Evaluate the typo engine (TYP001-005) on held-out TEST sets and print the figures.

    python scripts/eval_typos.py [--limit N] [--data ../shared/data] [set ...]

Sets: odw (ECSpell official-document writing, the main one), law, med, sighan707
(pycorrector's cut of SIGHAN-15, scored also with pycorrector's own metric), sighan1100
(standard SIGHAN-15), clean (5,000 error-free party/government sentences: false alarms),
cscd (the held-out fifth of CSCD-NS dev, native speakers' pinyin-input typos in news and
official-media posts: CRC32 of the target sentence mod 5 = 0; train_typos.py fits on the parts
2-4 and calibrates on part 1, never on this one), news_clean (5,000 People's Daily 1998 sentences
of the tenth never trained on: false alarms in the news register), de3 / de3-dev (的/地/得 swapped in
high-quality text: CRC32(correct_text) % 100 >= 85 is the held-out test part, 70-84 the dev part).

Metrics. Standard sentence level (ReaLiSe style): a sentence the system changes counts in
precision whether or not it had an error; detection is right when exactly the erroneous
positions are flagged, correction when the output equals the gold sentence. pycorrector's
metric counts a false positive only when an error-free sentence is changed.
Speed is sentences per second in this one process (one core), models loaded beforehand.
"""
from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from shared_data import DATA, add_data_option  # noqa: E402

CSC = DATA / "csc"
SETS = {
    "odw": CSC / "ecspell" / "odw.test",
    "law": CSC / "ecspell" / "law.test",
    "med": CSC / "ecspell" / "med.test",
    "sighan707": CSC / "sighan2015" / "pycorrector_pkg_data_sighan2015_test.tsv",
    "sighan1100": CSC / "sighan2015" / "pycorrector_examples_sighan_2015_test.tsv",
    "clean": CSC / "clean_sentences" / "acc_xxqg.tet.json",
    "cscd": CSC / "cscd_ns" / "dev.json",
    "news_clean": DATA / "corpus" / "peoples_daily_199801" / "199801.txt",
    "de3": CSC / "de3" / "gen_de3.json",
    "de3-dev": CSC / "de3" / "gen_de3.json",
}
# 的/地/得 set split by CRC32(correct_text) % 100: < 70 train, 70-84 dev (de3-dev), >= 85 test (de3).
DE3_PART = {"de3": (85, 100), "de3-dev": (70, 85)}
CSCD_PARTS = 5  # CSCD-NS dev split by CRC32 of the target: 0 held out (eval), 1 dev (calibration), 2-4 train
CSCD_PART = {"cscd": 0}


def cscd_part(target: str) -> int:
    return zlib.crc32(target.encode("utf-8")) % CSCD_PARTS


def news_sentences() -> list[str]:
    """Sentences of People's Daily, January 1998 (POS tags stripped): edited news register."""
    from auditor.text.normalize import is_han, normalize

    out = []
    for raw in SETS["news_clean"].read_text(encoding="utf-8").splitlines():
        line = normalize("".join(tok.rsplit("/", 1)[0] for tok in raw.split()).replace("[", "").replace("]", ""))
        for sentence in re.split(r"(?<=[。；！？])", line):
            if 8 <= len(sentence) <= 120 and sum(map(is_han, sentence)) >= 0.7 * len(sentence):
                out.append(sentence)
    return out


# The other nine tenths, for the training scripts: 1-5 (21,063 sentences) are news dev text that
# margins are calibrated on, 6-9 (16,770) news text that models may be trained on.
NEWS_DEV_PARTS, NEWS_TRAIN_PARTS = range(1, 6), range(6, 10)


def news_part(sentence: str) -> int:
    """The tenth of the news sentences a sentence falls in (CRC32 mod 10); 0 is the news_clean set."""
    return zlib.crc32(sentence.encode("utf-8")) % 10


def news_held_out(sentence: str) -> bool:
    """A tenth of the news sentences (CRC32 mod 10 = 0) is never trained on: the news_clean set."""
    return news_part(sentence) == 0


def read_set(name: str) -> list[tuple[str, str]]:
    """The pairs of an evaluation set (for cscd, only its held-out part)."""
    if name == "news_clean":  # the first 5,000 held-out news sentences, as error-free pairs
        return [(s, s) for s in news_sentences() if news_held_out(s)][:5000]
    pairs = read_pairs(SETS[name])
    if name in CSCD_PART:
        pairs = [(s, t) for s, t in pairs if cscd_part(t) == CSCD_PART[name]]
    if name in DE3_PART:
        lo, hi = DE3_PART[name]
        pairs = [(s, t) for s, t in pairs if lo <= zlib.crc32(t.encode("utf-8")) % 100 < hi]
    return pairs


def read_pairs(path: Path) -> list[tuple[str, str]]:
    """(source, target) pairs of equal length from the ECSpell, TSV or JSON formats."""
    if path.suffix == ".json":
        records = json.loads(path.read_text(encoding="utf-8"))
        keys = ("src", "tgt") if records and "src" in records[0] else ("original_text", "correct_text")
        pairs = [(r[keys[0]], r[keys[1]]) for r in records]
    else:
        pairs = []
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) >= 2:
                pairs.append((parts[-2], parts[-1]))
    return [(s, t) for s, t in pairs if len(s) == len(t)]


def _prf(tp: int, predicted: int, actual: int) -> tuple[float, float, float]:
    p = tp / predicted if predicted else 0.0
    r = tp / actual if actual else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def standard_metrics(triples: list[tuple[str, str, str]]) -> dict[str, tuple[float, float, float]]:
    """Sentence-level detection and correction P/R/F1 over (source, target, prediction)."""
    changed = sum(1 for s, _, p in triples if p != s)
    erroneous = sum(1 for s, t, _ in triples if t != s)
    det = cor = 0
    for s, t, p in triples:
        if t == s or p == s:
            continue
        gold = {i for i, (a, b) in enumerate(zip(s, t)) if a != b}
        flagged = {i for i, (a, b) in enumerate(zip(s, p)) if a != b}
        det += gold == flagged
        cor += p == t
    return {"detection": _prf(det, changed, erroneous), "correction": _prf(cor, changed, erroneous)}


def pycorrector_metric(triples: list[tuple[str, str, str]]) -> tuple[float, float, float]:
    """pycorrector's eval_model_batch: FP only when an error-free sentence is changed."""
    tp = fp = fn = 0
    for s, t, p in triples:
        if s == t:
            fp += p != t
        elif p == t:
            tp += 1
        else:
            fn += 1
    return _prf(tp, tp + fp, tp + fn)


def predict(engine, sentences: list[str], errors_only: bool = False) -> tuple[list[str], float]:
    start = time.perf_counter()
    out = engine.correct_sentences(sentences, errors_only)
    return out, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sets", nargs="*", default=list(SETS))
    parser.add_argument("--limit", type=int, default=0, help="first N sentences of each set")
    add_data_option(parser)
    args = parser.parse_args()
    from auditor.checks.typos.engine import TypoEngine, typo_engine

    t0 = time.perf_counter()
    loaded = typo_engine()
    loaded.particles, loaded.confusables  # noqa: B018 (the context classifiers, loaded once, timed with the rest)
    print(f"models loaded in {time.perf_counter() - t0:.1f} s")
    for name in args.sets:
        # A fresh engine over the loaded models per set: its sentence memo starts empty, so
        # sentences shared between sets (sighan707 is part of sighan1100) are scored again.
        engine = TypoEngine(loaded.corrector, loaded.wrong_words, loaded.protected, loaded.guard_names,
                            loaded.particles, loaded.confusables)
        pairs = read_set(name)[: args.limit or None]
        preds, seconds = predict(engine, [s for s, _ in pairs])
        triples = [(s, t, p) for (s, t), p in zip(pairs, preds)]
        speed = len(pairs) / seconds if seconds else 0.0
        # The same run restricted to error-level findings (warnings dropped).
        strict = [(s, t, engine.correct_sentence(s, errors_only=True) if p != s else p) for s, t, p in triples]
        if name in ("clean", "news_clean"):
            flagged = sum(1 for s, _, p in triples if p != s)
            flagged_strict = sum(1 for s, _, p in strict if p != s)
            print(f"{name}: {len(pairs)} sentences, flagged {flagged} = {flagged / len(pairs):.2%} "
                  f"(error level only {flagged_strict} = {flagged_strict / len(pairs):.2%}), {speed:.0f} sentences/s")
            continue
        m = standard_metrics(triples)
        line = (f"{name}: {len(pairs)} sentences | detection P {m['detection'][0]:.3f} R {m['detection'][1]:.3f} "
                f"F1 {m['detection'][2]:.3f} | correction P {m['correction'][0]:.3f} R {m['correction'][1]:.3f} "
                f"F1 {m['correction'][2]:.3f} | {speed:.0f} sentences/s")
        if name.startswith("sighan"):
            p, r, f = pycorrector_metric(triples)
            line += f" | pycorrector metric P {p:.3f} R {r:.3f} F1 {f:.4f}"
        sp, sr, sf = standard_metrics(strict)["correction"]
        print(line + f" | error level only: correction P {sp:.3f} R {sr:.3f} F1 {sf:.3f}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
