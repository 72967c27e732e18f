"""Dev figures of the contextual character model (models/typos/context.npz) against the features
the engine has: does log P(candidate | context) - log P(written | context) find CSCD-NS part 1's
typos without changing clean dev text?

    python scripts/dev_context.py [--data ../shared/data] [--model models/typos/context.npz] [--limit N]

Dev sets only: CSCD-NS part 1 (the calibration part) and train_confusables.py's clean dev groups
(official: the clean dev fifth and the corpus's 20th documents; news: 20,000 People's Daily
sentences outside eval_typos.py's held-out tenth). Two tables:

1. Real-word confusions (confusables.npz's sets): recall of CSCD-NS part 1's wrong characters
   whose right character is in the written one's set (the best rival, above the cut) at cuts that
   change a given share of the news dev sentences, for the confusion model's margin, the context
   model's, and their sum with the context model weighted.
2. The candidate stage (``Corrector.candidates``): how often the right replacement ranks first at
   its position by the classifier and by the context model, and the recall of the classifier's
   log-odds plus the weighted context margin at cuts that flag a given share of the clean dev
   sentences (both groups).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from shared_data import add_data_option  # noqa: E402

from auditor.checks.typos.confusables import CONTEXT_FLOOR  # noqa: E402
from auditor.checks.typos.context import ContextModel  # noqa: E402
from auditor.resources import MODELS  # noqa: E402
from auditor.text.normalize import normalize  # noqa: E402

SHARES = (0.0002, 0.001, 0.003, 0.01)  # share of dev sentences flagged at the cut
WEIGHTS = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0)


def recall_at(pos_scores: np.ndarray, neg_sentence_max: np.ndarray, share: float) -> float:
    """Recall of the positives above the cut under which at most ``share`` of the negative
    sentences (their largest score) pass."""
    allowed = int(share * len(neg_sentence_max))
    cut = np.sort(neg_sentence_max)[::-1][allowed] if allowed < len(neg_sentence_max) else -np.inf
    return float((pos_scores > cut).mean()) if len(pos_scores) else 0.0


def confusion_rows(engine, model, context, texts, golds=None):
    """Per place with a rival: the sentence, whether the best rival is the gold one (None without
    golds), and the best rival's confusion margin and context margin for each weight."""
    skips = [engine._context_skip(t) for t in texts]
    places = [(t, i, t[i] + model.rivals[t[i]]) for k, t in enumerate(texts) for i, ch in enumerate(t)
              if ch in model.rivals and not skips[k](i)]
    sent = {t: k for k, t in enumerate(texts)}
    conf, nn = [], []
    for k in range(0, len(places), 2048):
        conf += model.scores_many(places[k:k + 2048])
        nn += context.margins(places[k:k + 2048])
    out = []
    for (t, i, members), s, m in zip(places, conf, nn):
        d = s[1:] - s[0]
        gold = None if golds is None else golds[sent[t]][i]
        out.append((sent[t], gold, members[1:], d, m[1:]))
    return out


def best(rows, w: float):
    """Each place's best rival under conf + w * context (the context only where a rival is within
    CONTEXT_FLOOR, as at run time): (sentence, right rival?, score)."""
    out = []
    for k, gold, rivals, d, m in rows:
        s = d + w * m if d.max() > -CONTEXT_FLOOR else d
        j = int(np.argmax(s))
        out.append((k, gold is not None and rivals[j] == gold, float(s[j])))
    return out


def sentence_max(scored, n: int) -> np.ndarray:
    top = np.full(n, -np.inf)
    for k, _, s in scored:
        top[k] = max(top[k], s)
    return top


def main() -> None:
    parser = argparse.ArgumentParser()
    add_data_option(parser)
    parser.add_argument("--model", type=Path, default=MODELS / "typos" / "context.npz")
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    from eval_typos import CSC, cscd_part, read_pairs
    from train_confusables import clean_dev_groups

    from auditor.checks.typos.engine import typo_engine

    engine = typo_engine()
    model = engine.confusables
    context = ContextModel.load(args.model)
    lim = args.limit or None
    dev = [(normalize(s), normalize(t)) for s, t in read_pairs(CSC / "cscd_ns" / "dev.json") if cscd_part(t) == 1][:lim]
    groups = {n: [normalize(s) for s in texts][:lim] for n, texts in clean_dev_groups().items()}
    t0 = time.perf_counter()

    # 1. Real-word confusions.
    src = [s for s, _ in dev]
    rows = confusion_rows(engine, model, context, src, [t for _, t in dev])
    wrong = [(k, i) for k, (s, t) in enumerate(dev) for i in range(len(s)) if s[i] != t[i]]
    reachable = [(k, gold, rivals, d, m) for k, gold, rivals, d, m in rows if gold in rivals]
    news_rows = confusion_rows(engine, model, context, groups["news"])
    official_rows = confusion_rows(engine, model, context, groups["official"])
    print(f"CSCD-NS part 1: {len(dev)} sentences, {len(wrong)} wrong characters, {len(reachable)} in a confusion set; "
          f"news dev {len(groups['news'])}, official dev {len(groups['official'])} sentences "
          f"({time.perf_counter() - t0:.0f} s)")
    near = sum(1 for _, gold, rivals, d, _ in reachable if d[rivals.index(gold)] > -CONTEXT_FLOOR)
    print(f"{near} of the {len(reachable)} have the right rival within CONTEXT_FLOOR ({CONTEXT_FLOOR:g}) of the "
          "written character by the confusion model alone (the others never get the context margin at run time)")
    print("real-word confusions: recall of the wrong characters in a set at cuts that change at most a share of "
          "each clean dev group")
    print("  score                       " + "  ".join(f"{s:8.2%}" for s in SHARES))
    for w in WEIGHTS + (np.inf,):
        label = "context alone" if w == np.inf else f"confusion + {w:g} context"
        if w == np.inf:  # the confusion model's margin left out
            score_rows = lambda rs: [(k, g, rv, 0 * d, m) for k, g, rv, d, m in rs]  # noqa: E731
            scored, neg, off = (best(score_rows(x), 1.0) for x in (reachable, news_rows, official_rows))
        else:
            scored, neg, off = best(reachable, w), best(news_rows, w), best(official_rows, w)
        pos = np.array([s for _, ok, s in scored if ok])
        news_max = sentence_max(neg, len(groups["news"]))
        off_max = sentence_max(off, len(groups["official"]))
        cells = []
        for share in SHARES:
            cut = max(np.sort(top)[::-1][int(share * len(top))] for top in (news_max, off_max))
            cells.append(f"{float((pos > cut).sum()) / max(1, len(scored)):8.3f}")
        print(f"  {label:28s}" + "  ".join(cells))
    print(f"({time.perf_counter() - t0:.0f} s)")

    # 2. The candidate stage.
    corrector = engine.corrector
    cand_rows = []  # (set, sentence, position, replacement, classifier log-odds, context margin, right?)
    for name, texts, golds in (("cscd", src, [t for _, t in dev]), ("official", groups["official"], None),
                               ("news", groups["news"], None)):
        for k0 in range(0, len(texts), 64):
            chunk = texts[k0:k0 + 64]
            for j, text in enumerate(chunk):
                positions, repls, X = corrector.candidates(text, engine.guard_mask(text))
                if not len(positions):
                    continue
                p = np.clip(corrector.probabilities(X), 1e-6, 1 - 1e-6)
                logit = np.log(p / (1 - p))
                singles = [(int(q), r) for q, r in zip(positions, repls)]
                places = [(text, q, r[0]) for q, r in singles]
                margins = [float(m[0]) for m in context.margins(places)]
                for (q, r), lo, m in zip(singles, logit, margins):
                    if len(r) == 2:  # a two-character word: the context model scores each place alone
                        m = m + float(context.margins([(text, q + 1, r[1])])[0][0])
                    right = golds is not None and golds[k0 + j][q:q + len(r)] == r and text[q:q + len(r)] != r
                    cand_rows.append((name, k0 + j, q, r, float(lo), m, right))
    print(f"candidate stage: {len(cand_rows)} candidates ({time.perf_counter() - t0:.0f} s)")
    cscd = [r for r in cand_rows if r[0] == "cscd"]
    right = [r for r in cscd if r[6]]
    by_place: dict[tuple[int, int], list] = {}
    for r in cscd:
        by_place.setdefault((r[1], r[2]), []).append(r)
    top_clf = sum(1 for r in right if max(by_place[(r[1], r[2])], key=lambda x: x[4]) is r)
    top_nn = sum(1 for r in right if max(by_place[(r[1], r[2])], key=lambda x: x[5]) is r)
    print(f"CSCD-NS part 1: {len(right)} right replacements among the candidates; ranked first at their place by "
          f"the classifier {top_clf}, by the context model {top_nn}")
    clean_n = len(groups["official"]) + len(groups["news"])
    print("candidate stage: recall of the right replacements at cuts flagging a share of clean dev (both groups)")
    print("  score                       " + "  ".join(f"{s:8.2%}" for s in SHARES))
    for w in WEIGHTS + (np.inf,):
        label = "context alone" if w == np.inf else f"classifier + {w:g} context"
        score = (lambda r: r[5]) if w == np.inf else (lambda r, w=w: r[4] + w * r[5])  # noqa: E731
        top = np.full(clean_n, -np.inf)
        for r in cand_rows:
            if r[0] != "cscd":
                k = r[1] + (len(groups["official"]) if r[0] == "news" else 0)
                top[k] = max(top[k], score(r))
        pos = np.array([score(r) for r in right])
        print(f"  {label:28s}" + "  ".join(f"{recall_at(pos, top, s) * len(right) / max(1, len(wrong)):8.3f}"
                                            for s in SHARES))
    print(f"(recall over all {len(wrong)} wrong characters; {time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
