"""Write jieba's part-of-speech tags of short words into models/typos/jieba_tags.npz, the table
TYP005's featurizer reads (auditor/checks/typos/particles.py: ``TagTable``).

    python scripts/build_jieba_tags.py [--out models/typos/jieba_tags.npz]

Reads the dictionary of the installed jieba (dict.txt, MIT licence) and keeps every word of at
most four characters with its tag; the test tests/typos/test_particles.py fails when the table
and the installed dictionary disagree."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.checks.typos.particles import TAGS, TagTable  # noqa: E402
from auditor.text.nlp import jieba_tokenizer  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=TAGS)
    args = parser.parse_args()
    with jieba_tokenizer().get_dict_file() as fh:
        table = TagTable.from_dictionary(fh)
    table.save(args.out)
    print(f"wrote {args.out}: {len(table.words):,} words, {len(table.names)} tags "
          f"({args.out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
