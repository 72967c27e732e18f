"""Word-level candidates for TYP001 (issue 14: 不旦→不但, 失误招领→失物招领), measured on dev.

    TYPOS_FEATURE_CACHE=/tmp/rows.pkl python scripts/measure_word_candidates.py [--data ../shared/data] [--out DIR]

Reads the feature cache that ``TYPOS_WORD_ROUTE=1 TYPOS_FEATURE_CACHE=... train_typos.py classifier``
wrote (every training sentence's candidates, the word candidates included) and fits two classifiers
with train_typos.py's recipe on the training parts: the shipped one (character and pair candidates,
the shipped features) and the word route (all candidates, with WORD_FEATURES). Each is calibrated as
train_typos.py does, on the dev parts (CSCD-NS part 1, the odw dev fifth, the clean dev fifth), and
both are printed side by side on dev, with the corrector's cuts (real-word rule) as the engine applies
them. Then the wholesale-swap guard (a two-character replacement of a written dictionary word of
jieba frequency >= G by another word is not reported: 席位→行为, 上网→伤亡) for several G: CSCD-NS
part 1 corrections lost against People's Daily / clean dev sentences no longer flagged, and the
whole shipped engine's wholesale swaps on the People's Daily dev fifth.
CSCD-NS part 0 (held out) is never read. With --out, the word-route classifier is saved there.
"""
from __future__ import annotations

import argparse
import os
import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shared_data import add_data_option  # noqa: E402

GUARD_FLOORS = (1, 100, 300, 1000)  # jieba frequency of the written word from which a wholesale swap is refused


def _figures(triples: list[tuple[str, str, str]]) -> str:
    from eval_typos import standard_metrics

    p, r, f = standard_metrics(triples)["correction"]
    return f"F1 {f:.3f} (P {p:.3f} R {r:.3f})"


def _false_changes(triples: list[tuple[str, str, str]]) -> int:
    """Sentences in which a character that was right is changed (planted typo or not)."""
    return sum(any(a == b != c for a, b, c in zip(s, t, p)) for s, t, p in triples)


def candidate_stage(rows: dict, width: int) -> None:
    """Per dev set: wrong characters that a right character/pair candidate covers, and how many
    more a right word candidate adds, with the word candidates a sentence."""
    for name in ("cscd", "odw", "clean", "news"):
        dev = [r for r in rows["dev"] if r[0] == name]
        wrong = by_chars = more = words = 0
        for _, src, tgt, positions, repls, X, y in dev:
            is_word = X[:, width] == 1
            words += int(is_word.sum())
            wrong += sum(a != b for a, b in zip(src, tgt))
            fixed = [{p + j for p, r, w, right in zip(positions.tolist(), repls, is_word, y) if right and w == kind
                      for j in range(len(r)) if src[p + j] != r[j]} for kind in (False, True)]
            by_chars += len(fixed[0])
            more += len(fixed[1] - fixed[0])
        print(f"{name} dev: {len(dev)} sentences, {wrong} wrong characters, {by_chars} with a right character/pair "
              f"candidate, {more} more with a right word candidate; {words / len(dev):.2f} word candidates a sentence")


def news_swaps(floors=GUARD_FLOORS) -> None:
    """The shipped engine (all of TYP001-005) on the People's Daily dev fifth outside the held-out
    tenth: sentences flagged, and the wholesale swaps among them per guard floor."""
    from auditor.checks.typos.engine import typo_engine
    from auditor.text.normalize import normalize
    from eval_typos import news_held_out, news_sentences
    from train_typos import is_dev

    engine = typo_engine()
    sentences = [normalize(s) for s in news_sentences() if not news_held_out(s) and is_dev(s)]
    results = engine.typos_many(sentences)
    found = [t for typos in results for t in typos]
    flagged = sum(bool(typos) for typos in results)
    print(f"news dev (whole engine): {len(sentences)} sentences, {flagged} flagged")
    words = engine.corrector.words
    for floor in floors:
        swaps = [t for t in found if t.kind == "char" and len(t.wrong) == 2 and words.get(t.wrong, 0) >= floor
                 and words.get(t.right, 0) > 0]
        print(f"  guard floor {floor}: {len(swaps)} wholesale swaps "
              + " ".join(f"{t.wrong}→{t.right} ({t.confidence:.2f})" for t in swaps))


def _flagged(triples: list[tuple[str, str, str]]) -> tuple[int, int]:
    clean = [(s, p) for s, t, p in triples if s == t]
    return sum(p != s for s, p in clean), len(clean)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="folder to save the word-route classifier in")
    add_data_option(parser)
    args = parser.parse_args()
    cache = os.environ.get("TYPOS_FEATURE_CACHE")
    if not cache or not Path(cache).is_file():
        print("measure_word_candidates: TYPOS_FEATURE_CACHE must name the feature cache of a "
              "TYPOS_WORD_ROUTE=1 train_typos.py run", file=sys.stderr)
        sys.exit(2)
    from auditor.checks.typos.corrector import FEATURES, WORD_FEATURES, Corrector
    from auditor.text.nlp import jieba_tokenizer
    from train_typos import OUT, calibrate, dev_predictions, fit_forest

    with open(cache, "rb") as fh:
        sets, rows = pickle.load(fh)
    width = len(FEATURES) + len(WORD_FEATURES)
    if rows["train"][0][5].shape[1] != width:
        print(f"measure_word_candidates: {cache} holds no word-route features", file=sys.stderr)
        sys.exit(2)

    def shipped_view(row):
        name, src, tgt, positions, repls, X, y = row
        keep = np.nonzero(X[:, len(FEATURES)] == 0)[0]  # the word_route column
        return (name, src, tgt, positions[keep], [repls[k] for k in keep], X[keep, :len(FEATURES)], y[keep])

    print("== candidate stage")
    candidate_stage(rows, len(FEATURES))
    words = {w: f for w, f in jieba_tokenizer().FREQ.items() if f > 0}
    results = {}
    for label, view, word_route in (("shipped", shipped_view, False), ("word route", lambda r: r, True)):
        print(f"== {label}")
        corrector = Corrector.load(OUT, words, word_route=word_route)
        train, dev = [view(r) for r in rows["train"]], [view(r) for r in rows["dev"]]
        corrector.model = fit_forest(train)
        prob = [corrector.probabilities(r[5]) for r in dev]
        corrector.thresholds = calibrate(sets, dev, prob)
        results[label] = corrector, dev, prob
        if word_route and args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            corrector.model.save(args.out / "classifier.npz", **corrector.thresholds,
                                 features=np.array(corrector.features))

    def engine_cut(corrector, guard_floor=None):
        """The cuts the engine applies (real-word rule), optionally with the wholesale-swap guard."""
        def cut(row, prob):
            _, src, _, positions, repls, X, _ = row
            written = [src[p:p + len(r)] for p, r in zip(positions.tolist(), repls)]
            cuts = np.broadcast_to(corrector.cuts(X, None, written), len(prob)).copy()
            if guard_floor is not None:
                swap = np.array([len(w) == 2 and words.get(w, 0) >= guard_floor and words.get(r, 0) > 0
                                 for w, r in zip(written, repls)], dtype=bool)
                cuts[swap] = np.inf
            return cuts
        return cut

    print("\n== dev (train_typos cuts; 'engine' = with the corrector's real-word rule)")
    print("| model | cuts (error/warning) | odw dev | CSCD part 1 | CSCD part 1, engine | clean dev flagged, engine | "
          "news dev clean half flagged, engine |")
    print("|---|---|---|---|---|---|---|")
    for label, (corrector, dev, prob) in results.items():
        t = corrector.thresholds
        plain = lambda names: dev_predictions(dev, prob, t["warning"], names)  # noqa: E731
        eng = lambda names: dev_predictions(dev, prob, engine_cut(corrector), names)  # noqa: E731
        clean, news = _flagged(eng({"clean"})), _flagged(eng({"news"}))
        print(f"| {label} | {t['error']:.2f} / {t['warning']:.2f} | {_figures(plain({'odw'}))} | "
              f"{_figures(plain({'cscd'}))} | {_figures(eng({'cscd'}))} | {clean[0]}/{clean[1]} = "
              f"{clean[0] / clean[1]:.2%} | {news[0]}/{news[1]} = {news[0] / news[1]:.2%} |")

    print("\n== wholesale-swap guard (engine cuts), against no guard")
    print("| model | written word floor | CSCD part 1 corrections lost | odw dev | news dev: error-free half flagged | "
          "news dev: sentences with a right character changed | clean dev flagged |")
    print("|---|---|---|---|---|---|---|")
    for label, (corrector, dev, prob) in results.items():
        def counts(cut):
            cscd = dev_predictions(dev, prob, cut, {"cscd"})
            right = sum(p == t != s for s, t, p in cscd)
            news = dev_predictions(dev, prob, cut, {"news"})
            return right, dev_predictions(dev, prob, cut, {"odw"}), _flagged(news), \
                _flagged(dev_predictions(dev, prob, cut, {"clean"})), (_false_changes(news), len(news))
        base = counts(engine_cut(corrector))
        print(f"| {label} | none | {base[0]} corrected | {_figures(base[1])} | {base[2][0]}/{base[2][1]} | "
              f"{base[4][0]}/{base[4][1]} | {base[3][0]}/{base[3][1]} |")
        for floor in GUARD_FLOORS:
            got = counts(engine_cut(corrector, floor))
            print(f"| {label} | {floor} | {base[0] - got[0]} | {_figures(got[1])} | {got[2][0]} | {got[4][0]} | {got[3][0]} |")
    print()
    news_swaps()


if __name__ == "__main__":
    main()
