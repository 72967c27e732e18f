"""Write the typo regression gate's fixtures into tests/fixtures/typos/ from the shared data.

    python scripts/make_typo_fixtures.py [--data ../shared/data]

- odw_test_200.tsv: the first 200 pairs of ECSpell odw.test (MIT).
- clean_1000.tsv: the first 1,000 sentences of the clean set acc_xxqg (Apache-2.0).
- pinyin_typos.tsv: 300 further clean sentences (the set's last 300, never trained on) with one
  pinyin-input typo planted in each, the kind native speakers make (CSCD-NS's own sentences may not
  ship): half replace one character by a frequent character of the same toneless pinyin, half
  replace a two-character word by a different dictionary word of the same pinyin (改变→改编).
  Deterministic: a seeded generator over the sentences in file order.
- de3_test_200.tsv: the first 200 pairs of the 的/地/得 set's held-out test part (eval_typos.py's
  de3: CRC32(correct_text) % 100 >= 85, never trained or tuned on), Apache-2.0.

The gate only guards against silent regressions; nothing is tuned on these files.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shared_data import DATA, add_data_option  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "typos"
PLANTED = 300


def _write(path: Path, pairs: list[tuple[str, str]]) -> None:
    path.write_text("".join(f"{s}\t{t}\n" for s, t in pairs), encoding="utf-8")


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def plant_typos(sentences: list[str], seed: int = 20261206) -> list[tuple[str, str]]:
    import jieba
    from pypinyin import Style, lazy_pinyin

    def pinyin(text: str) -> str:
        return " ".join(lazy_pinyin(text, style=Style.NORMAL))

    chars = Counter(ch for s in sentences for ch in s if _is_han(ch))
    common = [ch for ch, n in chars.items() if n >= 20]
    by_sound: dict[str, list[str]] = defaultdict(list)
    for ch in common:
        by_sound[pinyin(ch)].append(ch)
    words: dict[str, list[str]] = defaultdict(list)
    for word, freq in jieba.dt.FREQ.items():
        if freq >= 200 and len(word) == 2 and all(_is_han(c) for c in word):
            words[pinyin(word)].append(word)

    rng = random.Random(seed)
    out = []
    for n, sentence in enumerate(sentences):
        options = []
        if n % 2:  # word-level homophone
            pos = 0
            for token in jieba.lcut(sentence, HMM=False):
                rivals = [w for w in words.get(pinyin(token), ()) if w != token] if len(token) == 2 else []
                if rivals:
                    options.append((pos, token, rivals))
                pos += len(token)
        if not options:  # character-level homophone
            for pos, ch in enumerate(sentence):
                rivals = [c for c in by_sound.get(pinyin(ch), ()) if c != ch] if _is_han(ch) else []
                if rivals:
                    options.append((pos, ch, rivals))
        if not options:
            continue
        pos, written, rivals = rng.choice(options)
        typo = rng.choice(sorted(rivals))
        out.append((sentence[:pos] + typo + sentence[pos + len(written):], sentence))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    add_data_option(parser)
    parser.parse_args()
    sys.path.insert(0, str(ROOT / "scripts"))
    import eval_typos

    OUT.mkdir(parents=True, exist_ok=True)
    _write(OUT / "odw_test_200.tsv", eval_typos.read_pairs(DATA / "csc" / "ecspell" / "odw.test")[:200])
    clean = [s for s, _ in eval_typos.read_pairs(DATA / "csc" / "clean_sentences" / "acc_xxqg.tet.json")]
    _write(OUT / "clean_1000.tsv", [(s, s) for s in clean[:1000]])
    planted = plant_typos(clean[-PLANTED:])
    _write(OUT / "pinyin_typos.tsv", planted)
    de3 = [(s, t) for s, t in eval_typos.read_set("de3") if "\t" not in s + t and "\n" not in s + t][:200]
    _write(OUT / "de3_test_200.tsv", de3)
    print(json.dumps({"odw": 200, "clean": 1000, "pinyin_typos": len(planted), "de3_test": len(de3)}))


if __name__ == "__main__":
    main()
