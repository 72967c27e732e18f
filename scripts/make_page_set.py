"""Build a page set for scripts/bench_extract.py from a checkout of its source repository.

Page sets from third-party repositories are data, not ours to commit: each lives under
``DATA/html/NAME`` with a ``SOURCE.txt`` naming the repository, commit, licence and the rule
that picked the pages, and this script rebuilds it from a checkout, so the set is the same on
every machine.

- ``magic_html``: opendatalab/magic-html (Apache-2.0; the pages are third-party),
  ``benchmark/data/article``: ``base.json`` (url, gold ``content``) and ``htmls/KEY.html``.
  Kept: pages whose gold is Chinese, i.e. more than half of its non-space characters are CJK
  ideographs and under 2 % kana or hangul (Japanese and Korean pages dropped). From commit
  47d4a7fed12030e906a093b074637f178cb46ef2 this keeps 53 of 158 pages.

- ``readability_zh``: mozilla/readability (Apache-2.0; the pages are third-party),
  ``test/test-pages/NAME``: ``source.html`` and the expected reading ``expected.html``, whose text
  is the gold (Readability.js's reviewed output, so it keeps what that reader keeps). Kept: pages
  whose gold is Chinese by the same rule. From commit ab4027a8b37669745016869a37a504727992b2ba this
  keeps 4 pages (gmw, pixnet, qq, youth). Written in the same layout as ``magic_html``.

    git clone https://github.com/opendatalab/magic-html /tmp/magic-html
    python scripts/make_page_set.py magic_html --source /tmp/magic-html [--data DIR]
    git clone https://github.com/mozilla/readability /tmp/readability
    python scripts/make_page_set.py readability_zh --source /tmp/readability [--data DIR]
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from shared_data import DATA, add_data_option

_IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")
_KANA_HANGUL = re.compile(r"[\u3040-\u30ff\uac00-\ud7af]")


def is_chinese(text: str) -> bool:
    total = len(re.sub(r"\s", "", text)) or 1
    return (len(_IDEOGRAPH.findall(text)) / total > 0.5
            and len(_KANA_HANGUL.findall(text)) / total < 0.02)


def commit_of(source: Path) -> str:
    try:
        return subprocess.run(["git", "-C", str(source), "rev-parse", "HEAD"], check=True,
                              capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"


def write_set(out: Path, name: str, kept: dict[str, dict], html_of: dict[str, Path],
              origin: str, licence: str, source: Path, offered: int) -> int:
    """Copy the kept pages and write their gold and the SOURCE note, replacing an earlier build
    (a page an earlier rule kept must not linger)."""
    shutil.rmtree(out / "htmls", ignore_errors=True)
    (out / "htmls").mkdir(parents=True)
    for key in kept:
        shutil.copyfile(html_of[key], out / "htmls" / f"{key}.html")
    (out / "base.json").write_text(json.dumps(kept, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "SOURCE.txt").write_text(
        f"{origin}\ncommit {commit_of(source)}\n"
        f"licence: repository {licence}; the pages are third-party web pages kept for evaluation only\n"
        f"pages: the {len(kept)} of {offered} whose gold text is Chinese (>50% CJK ideographs,"
        f" <2% kana or hangul)\nbuilt by scripts/make_page_set.py {name}\n", encoding="utf-8")
    return len(kept)


def magic_html(source: Path, out: Path) -> int:
    article = source / "benchmark" / "data" / "article"
    base = article / "base.json"
    if not base.is_file():
        raise OSError(f"{base} not found; --source must be a magic-html checkout")
    gold = json.loads(base.read_text(encoding="utf-8"))
    kept = {key: entry for key, entry in sorted(gold.items()) if is_chinese(entry["content"])}
    html_of = {key: article / "htmls" / f"{key}.html" for key in kept}
    return write_set(out, "magic_html", kept, html_of,
                     "opendatalab/magic-html, benchmark/data/article", "Apache-2.0", source, len(gold))


def readability_zh(source: Path, out: Path) -> int:
    from auditor.ingest.html import block_text, parse_html

    pages = source / "test" / "test-pages"
    if not pages.is_dir():
        raise OSError(f"{pages} not found; --source must be a mozilla/readability checkout")
    offered = sorted(p for p in pages.iterdir() if (p / "expected.html").is_file())
    kept = {}
    for page in offered:
        gold = block_text(parse_html((page / "expected.html").read_text(encoding="utf-8")))
        if is_chinese(gold):
            kept[page.name] = {"url": f"mozilla/readability test-pages/{page.name}", "content": gold}
    html_of = {name: pages / name / "source.html" for name in kept}
    return write_set(out, "readability_zh", kept, html_of,
                     "mozilla/readability, test/test-pages (source.html; gold = text of expected.html)",
                     "Apache-2.0", source, len(offered))


BUILDERS = {"magic_html": magic_html, "readability_zh": readability_zh}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("name", choices=sorted(BUILDERS))
    ap.add_argument("--source", type=Path, required=True, help="checkout of the set's repository")
    add_data_option(ap)
    args = ap.parse_args()
    out = args.data / "html" / args.name
    try:
        count = BUILDERS[args.name](args.source, out)
    except OSError as exc:
        print(f"make_page_set: cannot build {args.name}: {exc}", file=sys.stderr)
        raise SystemExit(2)
    print(f"{args.name}: {count} pages in {out}")


if __name__ == "__main__":
    main()
