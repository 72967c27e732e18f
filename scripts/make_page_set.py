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

- ``news_zh``: the Chinese article pages kept as regression tests by two news readers, built from
  a checkout of each (``--source`` twice, in either order).
  AndyTheFactory/newspaper4k (MIT; the pages are third-party), ``tests/data``: ``html/NAME.html``,
  its reviewed expected text ``txt/NAME.txt`` (newspaper's reading, no headline) and, where there
  is one, ``metadata/NAME.json`` with the ``publish_date``. flairNLP/fundus (MIT),
  ``tests/resources/parser/test_data/cn``: ``NAME.html.gz`` and the publisher parser's reviewed
  output ``People.json`` (body summary, section headlines and paragraphs; ``publishing_date``).
  Kept: pages whose gold is Chinese by the same rule. From newspaper4k commit
  540bff3e8344cb8291c4829fafd98860f30d9692 and fundus commit
  18da6e53592f99cf0ac5770dc63d6ba99ba63ae8 this keeps 4 pages (BBC 中文, China Daily, news.cn,
  people.com.cn), 3 with a gold date kept as ``date`` beside ``content``.

    git clone https://github.com/opendatalab/magic-html /tmp/magic-html
    python scripts/make_page_set.py magic_html --source /tmp/magic-html [--data DIR]
    git clone https://github.com/mozilla/readability /tmp/readability
    python scripts/make_page_set.py readability_zh --source /tmp/readability [--data DIR]
    git clone https://github.com/AndyTheFactory/newspaper4k /tmp/newspaper4k
    git clone https://github.com/flairNLP/fundus /tmp/fundus
    python scripts/make_page_set.py news_zh --source /tmp/newspaper4k --source /tmp/fundus [--data DIR]
"""
from __future__ import annotations

import argparse
import gzip
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


def write_set(out: Path, name: str, kept: dict[str, dict], html_of: dict[str, Path | bytes],
              origin: str, licence: str, sources: list[Path], offered: int) -> int:
    """Copy the kept pages (a file, or the page's bytes where the source keeps it compressed) and
    write their gold and the SOURCE note, replacing an earlier build (a page an earlier rule kept
    must not linger)."""
    shutil.rmtree(out / "htmls", ignore_errors=True)
    (out / "htmls").mkdir(parents=True)
    for key in kept:
        page = html_of[key]
        target = out / "htmls" / f"{key}.html"
        if isinstance(page, bytes):
            target.write_bytes(page)
        else:
            shutil.copyfile(page, target)
    (out / "base.json").write_text(json.dumps(kept, ensure_ascii=False, indent=1), encoding="utf-8")
    commits = ", ".join(commit_of(source) for source in sources)
    (out / "SOURCE.txt").write_text(
        f"{origin}\ncommit {commits}\n"
        f"licence: repository {licence}; the pages are third-party web pages kept for evaluation only\n"
        f"pages: the {len(kept)} of {offered} whose gold text is Chinese (>50% CJK ideographs,"
        f" <2% kana or hangul)\nbuilt by scripts/make_page_set.py {name}\n", encoding="utf-8")
    return len(kept)


def magic_html(sources: list[Path], out: Path) -> int:
    source = sources[0]
    article = source / "benchmark" / "data" / "article"
    base = article / "base.json"
    if not base.is_file():
        raise OSError(f"{base} not found; --source must be a magic-html checkout")
    gold = json.loads(base.read_text(encoding="utf-8"))
    kept = {key: entry for key, entry in sorted(gold.items()) if is_chinese(entry["content"])}
    html_of = {key: article / "htmls" / f"{key}.html" for key in kept}
    return write_set(out, "magic_html", kept, html_of,
                     "opendatalab/magic-html, benchmark/data/article", "Apache-2.0", [source], len(gold))


def readability_zh(sources: list[Path], out: Path) -> int:
    from auditor.ingest.html import block_text, parse_html

    source = sources[0]
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
                     "Apache-2.0", [source], len(offered))


def news_zh(sources: list[Path], out: Path) -> int:
    newspaper = next((s / "tests" / "data" for s in sources if (s / "tests" / "data" / "txt").is_dir()), None)
    fundus = next((s / "tests" / "resources" / "parser" / "test_data" / "cn" for s in sources
                   if (s / "tests" / "resources" / "parser" / "test_data" / "cn").is_dir()), None)
    if newspaper is None or fundus is None:
        missing = " and ".join(n for n, d in (("newspaper4k", newspaper), ("fundus", fundus)) if d is None)
        raise OSError(f"no {missing} checkout among --source {' '.join(map(str, sources))}")
    kept: dict[str, dict] = {}
    html_of: dict[str, Path | bytes] = {}
    offered = 0
    for txt in sorted((newspaper / "txt").glob("*.txt")):
        html = newspaper / "html" / f"{txt.stem}.html"
        if not html.is_file():
            continue
        offered += 1
        gold = txt.read_text(encoding="utf-8")
        if not is_chinese(gold):
            continue
        entry = {"url": f"newspaper4k tests/data/html/{txt.stem}.html", "content": gold}
        meta = newspaper / "metadata" / f"{txt.stem}.json"
        if meta.is_file():
            info = json.loads(meta.read_text(encoding="utf-8"))
            entry["url"] = info.get("url") or entry["url"]
            if info.get("publish_date"):
                entry["date"] = info["publish_date"][:10]
        kept[f"newspaper4k_{txt.stem}"] = entry
        html_of[f"newspaper4k_{txt.stem}"] = html
    urls = json.loads((fundus / "meta.info").read_text(encoding="utf-8"))
    for page in sorted(fundus.glob("*.html.gz")):
        offered += 1
        publisher = page.name.split("_")[0]
        article = json.loads((fundus / f"{publisher}.json").read_text(encoding="utf-8"))["V1"]
        body = article["body"]
        paragraphs = list(body.get("summary") or [])
        for section in body.get("sections") or []:
            paragraphs += list(section.get("headline") or []) + list(section.get("paragraphs") or [])
        gold = "\n".join(paragraphs)
        if not is_chinese(gold):
            continue
        key = f"fundus_{page.name.removesuffix('.html.gz')}"
        kept[key] = {"url": urls.get(page.name, {}).get("url", f"fundus {page.name}"), "content": gold}
        if article.get("publishing_date"):
            kept[key]["date"] = article["publishing_date"][:10]
        html_of[key] = gzip.decompress(page.read_bytes())
    return write_set(out, "news_zh", kept, html_of,
                     "AndyTheFactory/newspaper4k tests/data (gold = txt/NAME.txt); flairNLP/fundus "
                     "tests/resources/parser/test_data/cn (gold = the parser's reviewed JSON)",
                     "MIT (both)", [newspaper.parent.parent, fundus.parents[4]], offered)


BUILDERS = {"magic_html": magic_html, "readability_zh": readability_zh, "news_zh": news_zh}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("name", choices=sorted(BUILDERS))
    ap.add_argument("--source", type=Path, required=True, action="append",
                    help="checkout of the set's repository (news_zh: one of each of its two)")
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
