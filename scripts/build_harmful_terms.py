"""Curate the harmful-content term lists of the WRD harmful pack from the shared sensitive-word
lists (konsheng/Sensitive-lexicon, MIT; houbb/sensitive-word, Apache-2.0; jionlp, Apache-2.0).

The raw lists are noisy (they hold 政府, 人民, 香港 ...). A term is kept only when
1. it belongs to a category by an explicit marker (a trade verb next to a weapon, drug or
   gambling word; an explicit sexual morpheme), and
2. it never occurs in clean official text: the CPC congress reports, the gov.cn policy documents
   and the 5,000 学习强国 sentences, so a term that government text uses (打击网络赌博, 强奸罪) is
   dropped. The government work reports and the laws are kept apart: they are the evaluation set of
   scripts/eval_wording.py.

Writes corpora/rules/harmful/{weapons,drugs,gambling,pornography}.txt (one term a line).
Usage: python scripts/build_harmful_terms.py [--data ../shared/data]
"""
from __future__ import annotations

import argparse
import json
import re
import zipfile
from pathlib import Path

from shared_data import add_data_option

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "corpora" / "rules" / "harmful"

TRADE = "出售|售|卖|买|购|批发|供应|订购|代购|到货|出货|货到付款|制作|制造|配方|自制|合成|技术转让"
CATEGORIES = {
    "weapons": re.compile(rf"(?:{TRADE}).*(?:枪|炸药|雷管|炸弹|子弹|军火|弹药)|(?:枪|炸药|雷管|炸弹|子弹|军火|弹药).*(?:{TRADE})"),
    "drugs": re.compile(rf"(?:{TRADE}).*(?:冰毒|[Kk]粉|摇头丸|麻古|海洛因|氯胺酮|大麻|迷药|迷幻药|听话水)"
                        rf"|(?:冰毒|[Kk]粉|摇头丸|麻古|海洛因|氯胺酮|大麻|迷药|迷幻药|听话水).*(?:{TRADE})"),
    "gambling": re.compile(r"(?:百家乐|博彩|赌场|六合彩|时时彩|老虎机|赌球|赌博).*(?:网|在线|开户|注册|平台|投注|娱乐城|公司|qq|QQ|代理|返水|特码)"
                           r"|(?:在线|网上|真人|现金|网络).*(?:百家乐|博彩|赌场|老虎机)"),
    "pornography": re.compile(r"[屄肏屌]|逼[^近迫真使供问]|淫[^雨威]|奸[^诈商猾臣细险佞]|乳交|口交|肛交|足交|群交|性交易网|成人(?:电影|论坛|网站|小说|视频|图片)|裸聊|约炮|一夜情|援交|楼凤|包夜"),
}
# Words of the law and of administrative reports (卖淫嫖娼, 淫秽物品, 强奸罪, 色情网站): a term
# containing one is how government text names the offence, not harmful content.
LEGAL_WORDS = re.compile("淫秽|卖淫|嫖娼|强奸|轮奸|猥亵|奸淫|通奸|淫乱|鸡奸|色情|赌博罪|贩毒|制毒|走私|枪支|弹药|爆炸物|仿真枪")
# Shortest term kept: short trade terms hide inside legal phrases (售枪 in 销售枪支).
MIN_LENGTH = {"weapons": 4, "drugs": 4, "gambling": 4, "pornography": 3}
BAD_CHARS = re.compile(r"[\s*?|\\()（）]|^\W|\W$")


def raw_terms(data: Path) -> set[str]:
    lex = data / "lexicons"
    terms: set[str] = set()
    for path in sorted((lex / "konsheng_sensitive" / "Vocabulary").glob("*.txt")):
        terms.update(path.read_text(encoding="utf-8", errors="ignore").splitlines())
    terms.update((lex / "houbb_sensitive" / "dict_v20240407.txt").read_text(encoding="utf-8").splitlines())
    with zipfile.ZipFile(lex / "jionlp" / "pornography.zip") as z:
        terms.update(z.read("pornography.txt").decode("utf-8").splitlines())
    return {t.strip() for t in terms if 2 <= len(t.strip()) <= 12 and not BAD_CHARS.search(t.strip())}


def idioms(data: Path) -> list[str]:
    """Four-character idioms (水乳交融 holds 乳交): a term inside or containing one is dropped."""
    with zipfile.ZipFile(data / "lexicons" / "jionlp" / "chinese_idiom.zip") as z:
        lines = z.read("chinese_idiom.txt").decode("utf-8").splitlines()
    return [line.split("\t")[0] for line in lines if line]


def official_text(data: Path) -> str:
    corpus = data / "corpus"
    parts = [json.loads(line)["content"] for line in
             (corpus / "gov_work_reports" / "cpc_congress_reports.jsonl").open(encoding="utf-8")]
    parts += [p.read_text(encoding="utf-8", errors="ignore") for p in (corpus / "govcn_policy").glob("*.sql")]
    clean = json.loads((data / "csc" / "clean_sentences" / "acc_xxqg.tet.json").read_text(encoding="utf-8"))
    parts += [r["original_text"] for r in clean]
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_option(parser)
    data = parser.parse_args().data
    terms = raw_terms(data)
    official = official_text(data) + "\n" + "\n".join(idioms(data))
    OUT.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    for name, marker in CATEGORIES.items():  # each term in the first category it fits
        kept = sorted(t for t in terms - taken if marker.search(t) and len(t) >= MIN_LENGTH[name]
                      and t not in official and not t.isascii() and not LEGAL_WORDS.search(t))
        taken.update(kept)
        # a term that contains a shorter kept term adds nothing to a longest-match automaton
        kept = [t for t in kept if not any(s != t and s in t for s in kept)]
        (OUT / f"{name}.txt").write_text("\n".join(kept) + "\n", encoding="utf-8")
        print(f"corpora/rules/harmful/{name}.txt: {len(kept)} terms")


if __name__ == "__main__":
    main()
