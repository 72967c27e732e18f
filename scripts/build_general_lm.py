"""Convert open-gram (sunpinyin's general-register word trigram model, CC BY-SA 3.0) into
models/typos/open-gram.npz, the general-register scorer TYP's corrector reads.

    python scripts/build_general_lm.py [--data ../shared/data] [--out models/typos]

Reads lm/open-gram/lm_sc.t3g through Debian's `tslminfo -v -p` (package sunpinyin-utils: the
dump of the whole model takes about 2 s) and lm/open-gram/dict.full (word id = 100 + line number).
Only words made of Han characters are kept as words (ids of special tokens and punctuation are
dropped: the corrector scores windows of Chinese text between punctuation). Probabilities are
stored as natural-log float16, the back-off weights as natural-log float16."""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.checks.typos.wordlm import ID_BITS, pack  # noqa: E402
from auditor.text.normalize import is_han  # noqa: E402
from shared_data import add_data_option  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_option(parser)
    parser.add_argument("--out", type=Path, default=ROOT / "models" / "typos")
    args = parser.parse_args()
    folder = Path(args.data) / "lm" / "open-gram"
    t0 = time.time()
    words_by_id: dict[int, str] = {}
    for n, line in enumerate((folder / "dict.full").read_text(encoding="utf-8").splitlines()):
        word = line.split(" ", 1)[0]
        if word and all(map(is_han, word)):
            words_by_id[100 + n] = word
    dump = subprocess.run(["tslminfo", "-v", "-p", str(folder / "lm_sc.t3g")], check=True,
                          capture_output=True, text=True).stdout.splitlines()
    sections: dict[int, list[list[str]]] = {}
    order = -1
    for line in dump:
        if line.startswith("\\"):
            order = int(line[1])
            sections[order] = []
        elif order > 0:
            sections[order].append(line.split())
    # Compact ids: 1.. for kept words, in the model's unigram order; 0 = anything else.
    uni = [(int(r[0]), float(r[1]), float(r[2])) for r in sections[1]]
    kept = [(wid, p, b) for wid, p, b in uni if wid in words_by_id]
    # A word written on several lines of dict.full (one per reading) keeps its likeliest id.
    best: dict[str, tuple[int, float, float]] = {}
    for wid, p, b in kept:
        w = words_by_id[wid]
        if w not in best or p > best[w][1]:
            best[w] = (wid, p, b)
    words = sorted(best, key=lambda w: -best[w][1])
    compact = {best[w][0]: i + 1 for i, w in enumerate(words)}
    assert len(words) + 1 < 2 ** ID_BITS
    uni_lp = np.zeros(len(words) + 1, dtype=np.float32)
    uni_bow = np.zeros(len(words) + 1, dtype=np.float32)
    for i, w in enumerate(words, 1):
        _, p, b = best[w]
        uni_lp[i], uni_bow[i] = np.log(p), np.log(b)
    arrays: dict[str, np.ndarray] = {"words": np.array("\n".join(words)),
                                     "uni_lp": uni_lp.astype(np.float16), "uni_bow": uni_bow.astype(np.float16)}
    for n in (2, 3):
        rows = [r for r in sections[n] if all(int(x) in compact for x in r[:n])]
        ids = np.array([[compact[int(x)] for x in r[:n]] for r in rows], dtype=np.uint64)
        keys = pack(ids)
        lp = np.log(np.array([float(r[n]) for r in rows], dtype=np.float64))
        sort = np.argsort(keys)
        arrays[f"keys{n}"] = keys[sort]
        arrays[f"lp{n}"] = lp[sort].astype(np.float16)
        if n == 2:
            arrays["bow2"] = np.log(np.array([float(r[3]) for r in rows]))[sort].astype(np.float16)
        print(f"{n}-grams: {len(rows):,} kept of {len(sections[n]):,}")
    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out / "open-gram.npz"
    np.savez_compressed(out, **arrays)
    print(f"words {len(words):,}; {out.name} {out.stat().st_size / 1e6:.1f} MB; {time.time() - t0:.1f} s")


if __name__ == "__main__":
    main()
