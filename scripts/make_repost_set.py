"""Build the labelled repost set and the simulated province for scripts/eval_originality.py.

No public labelled Chinese repost set exists, so reposts are made from real text in
../shared/data/corpus (People's Daily Jan 1998 articles, local regulations, government work
reports), each with a label:

- repost: a reference document with other boilerplate (来源/责任编辑/版权声明/扫码 lines),
  light edits (substituted, dropped or inserted characters, other punctuation, re-split
  paragraphs), or truncated to its first 40–80 %;
- partial: the account's own paragraphs with a block of a reference document making up
  10–60 % of the text (the true share is counted in content characters);
- original: documents not in the index, including hard negatives: regulations of other
  cities on the same subject (物业管理条例, 养犬管理条例, ...) and the next year's government
  work report when the previous year's is indexed.

``split`` chooses disjoint source documents: thresholds were chosen on ``dev``; ``test`` is
reported. The simulated province has 100 accounts (1 province, 9 cities, 90 counties), 50
mandatory items and each account's own items, with on-time, late and missed reposts planted
(titles edited with 【转载】/转发： prefixes or rewritten, boilerplate changed) and look-alike
items the account wrote itself.

    python scripts/make_repost_set.py --split dev --out build/repost_dev.jsonl
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from shared_data import DATA, add_data_option

CORPUS = DATA / "corpus"
CST = timezone(timedelta(hours=8))
_CONTENT = re.compile(r"[^\W_]")


@dataclass
class Source:
    key: str
    title: str
    paragraphs: list[str]
    topic: str = ""

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass
class Case:
    kind: str  # repost | partial | original
    variant: str
    text: str
    reference: str | None  # key of the source document, if any
    share: float  # true share of the text's content characters taken from the reference
    title: str = ""
    meta: dict = field(default_factory=dict)


def content_len(text: str) -> int:
    return len(_CONTENT.findall(text))


def in_split(key: str, split: str) -> bool:
    return (int(hashlib.sha1(key.encode()).hexdigest(), 16) % 2 == 0) == (split == "dev")


# --- sources ---

def peoples_daily() -> list[Source]:
    """Articles of People's Daily Jan 1998: a short line without final punctuation starts one."""
    articles: list[Source] = []
    current: list[str] = []
    for raw in (CORPUS / "peoples_daily_199801" / "199801.txt").read_text(encoding="utf-8").splitlines():
        line = "".join(tok.rsplit("/", 1)[0] for tok in raw.split() if tok)
        line = line.replace("[", "").replace("]", "")
        if not line:
            continue
        if len(line) <= 30 and not re.search(r"[。！？”）]$", line):
            if len(current) >= 3:
                articles.append(Source(f"pd{len(articles)}", current[0], current[1:]))
            current = [line]
        else:
            current.append(line)
    return [a for a in articles if content_len(a.text) >= 400]


def regulations() -> list[Source]:
    """Local regulations grouped by subject (the name after the city or province)."""
    out = []
    for path in sorted((CORPUS / "laws" / "DLC").rglob("*条例*.md")):
        name = re.sub(r"\(.*?\)$", "", path.stem)
        m = re.match(r"^(.{2,8}?[省市州县区])(.+条例)$", name)
        if not m:
            continue
        body = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()
                if ln.strip() and not ln.startswith(("#", "<", "---", "|")) and len(ln.strip()) > 10]
        if content_len("".join(body)) >= 1500:
            out.append(Source(f"reg:{name}", name, body[:60], topic=m.group(2)))
    return out


def work_reports() -> list[Source]:
    out = []
    for line in (CORPUS / "gov_work_reports" / "government_work_reports.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        paras = [p.strip() for p in d["content"].split("\n") if len(p.strip()) > 10]
        if str(d.get("year") or "").isdigit():
            out.append(Source(f"gwr{d['year']}", d["title"], paras, topic=str(d["year"])))
    return out


# --- variations ---

HEADERS = ["来源：{site}\n发布时间：2024-0{m}-1{d} 09:3{d}", "【来源：{site}】", "信息来源：{site}　浏览次数：1{d}3",
           "发布日期：2024年{m}月{d}日　来源：{site}　作者：综合", ""]
FOOTERS = ["责任编辑：王{d}", "（责任编辑：李明  审核：张华）", "扫一扫在手机打开当前页", "版权声明：本文转载于网络，如有侵权联系删除。",
           "【打印本页】【关闭窗口】", ""]
SITES = ["某省人民政府", "某市人民政府", "某县融媒体中心", "新华社", "本站"]
_NEAR = "的地得了和与及在是为对把被从"


def boilerplate(rng: random.Random, text: str) -> str:
    fill = {"site": rng.choice(SITES), "m": rng.randint(1, 9), "d": rng.randint(1, 9)}
    head, foot = rng.choice(HEADERS).format(**fill), rng.choice(FOOTERS).format(**fill)
    return "\n".join(x for x in (head, text, foot) if x)


def light_edits(rng: random.Random, paragraphs: list[str], rate: float) -> list[str]:
    """Substitute, drop or insert about ``rate`` of the characters; change punctuation;
    merge or split a paragraph now and then."""
    out = []
    for p in paragraphs:
        chars = list(p)
        for i in range(len(chars)):
            r = rng.random()
            if r < rate / 3:
                chars[i] = rng.choice(_NEAR)
            elif r < 2 * rate / 3:
                chars[i] = ""
            elif r < rate:
                chars[i] += rng.choice(_NEAR)
        p = "".join(chars)
        if rng.random() < 0.3:
            p = p.replace("，", ",").replace("。", ". ")
        out.append(p)
    if len(out) > 3 and rng.random() < 0.5:
        i = rng.randrange(len(out) - 1)
        out[i:i + 2] = [out[i] + out[i + 1]]
    return out


def repost_cases(rng: random.Random, refs: list[Source]) -> list[Case]:
    cases = []
    for ref in refs:
        variant = rng.choice(["boilerplate", "light-edit", "truncated", "edit+truncated"])
        paras = list(ref.paragraphs)
        if "truncated" in variant:
            keep = max(1, round(len(paras) * rng.uniform(0.4, 0.8)))
            paras = paras[:keep]
        if "edit" in variant:
            paras = light_edits(rng, paras, rng.uniform(0.01, 0.04))
        cases.append(Case("repost", variant, boilerplate(rng, "\n".join(paras)), ref.key, 1.0, title=ref.title))
    return cases


def partial_cases(rng: random.Random, refs: list[Source], own_pool: list[Source]) -> list[Case]:
    """Own paragraphs with a block of reference paragraphs making up a target share of 10–60 %."""
    cases = []
    for ref in refs:
        target = rng.uniform(0.1, 0.6)
        own = rng.choice(own_pool)
        own_paras = [p for p in own.paragraphs if content_len(p) >= 20]
        own_chars = sum(content_len(p) for p in own_paras)
        want = target / (1 - target) * own_chars  # reused characters for the target share
        start = rng.randrange(len(ref.paragraphs))
        block: list[str] = []
        limit = 0.6 / 0.4 * own_chars  # reused characters that would make the share 60 %
        for p in ref.paragraphs[start:] + ref.paragraphs[:start]:
            reused = sum(content_len(b) for b in block)
            if reused >= want or (block and reused + content_len(p) > limit):
                break
            block.append(p)
        if rng.random() < 0.5:
            block = light_edits(rng, block, 0.01)
        at = rng.randint(0, len(own_paras))
        paras = own_paras[:at] + block + own_paras[at:]
        reused = sum(content_len(b) for b in block)
        share = reused / (reused + own_chars)
        cases.append(Case("partial", "paragraph-block", boilerplate(rng, "\n".join(paras)), ref.key, share,
                          title=own.title))
    return cases


def build_set(split: str, seed: int = 7, n_repost: int = 250, n_partial: int = 150, n_extra: int = 150,
              n_original: int = 150) -> tuple[list[Source], list[Case]]:
    """The reference documents to index and the labelled queries."""
    rng = random.Random(f"{split}-{seed}")
    news = [s for s in peoples_daily() if in_split(s.key, split)]
    rng.shuffle(news)
    regs = [s for s in regulations() if in_split(s.topic, split)]
    reports = work_reports()
    by_topic: dict[str, dict[str, Source]] = {}
    for r in regs:  # one version per regulation: amended versions of one regulation are near-duplicates
        by_topic.setdefault(r.topic, {}).setdefault(r.title, r)
    # References: news articles, one regulation per subject, alternate years' work reports.
    references = news[: n_repost + n_partial + n_extra]
    negatives: list[Case] = []
    for versions in by_topic.values():
        group = list(versions.values())
        if len(group) >= 2:
            references.append(group[0])
            for other in group[1:3]:
                negatives.append(Case("original", "same-subject-regulation", boilerplate(rng, other.text), None, 0.0,
                                      title=other.title))
    years = sorted(reports, key=lambda r: r.topic)
    for prev, nxt in zip(years, years[1:]):
        if int(prev.topic) % 2 == (0 if split == "dev" else 1) and int(nxt.topic) - int(prev.topic) == 1:
            references.append(prev)
            negatives.append(Case("original", "next-year-work-report", nxt.text, None, 0.0, title=nxt.title))
    repost_refs = news[:n_repost]
    partial_refs = news[n_repost:n_repost + n_partial]
    unindexed = news[n_repost + n_partial + n_extra:]
    own_pool = unindexed[:len(unindexed) // 2]
    originals = [Case("original", "unindexed-article", boilerplate(rng, s.text), None, 0.0, title=s.title)
                 for s in unindexed[len(unindexed) // 2:][:n_original]]
    cases = repost_cases(rng, repost_refs) + partial_cases(rng, partial_refs, own_pool) + originals + negatives
    return references, cases


# --- simulated province ---

@dataclass
class Account:
    name: str
    level: str


@dataclass
class PlantedItem:
    title: str
    text: str
    publisher: str
    published_at: datetime
    deadline_hours: float
    targets: dict


@dataclass
class AccountPost:
    account: str
    title: str
    text: str
    published_at: datetime


def build_province(seed: int = 11, n_accounts: int = 100, n_items: int = 50
                   ) -> tuple[list[Account], list[PlantedItem], list[AccountPost], dict, datetime]:
    """Accounts, mandatory items, what each account published, the true status of every
    (account, item) pair that applies, and the time the statuses are taken at."""
    rng = random.Random(seed)
    news = peoples_daily()
    rng.shuffle(news)
    accounts = [Account("某省发布", "province")] + [Account(f"第{i}市发布", "city") for i in range(1, 10)]
    accounts += [Account(f"第{i}县发布", "county") for i in range(1, n_accounts - 9)]
    start = datetime(2024, 6, 1, 8, 0, tzinfo=CST)
    as_of = start + timedelta(days=20)
    items: list[PlantedItem] = []
    for i, src in enumerate(news[:n_items]):
        published = start + timedelta(hours=rng.uniform(0, 20 * 24 - 2))
        targets = rng.choice([{}, {}, {"levels": ["county"]}, {"levels": ["city", "county"]}])
        items.append(PlantedItem(src.title, "\n".join(src.paragraphs[:6]), "某省人民政府", published,
                                 rng.choice([8, 8, 24, 48]), targets))
    own_sources = news[n_items:]
    posts: list[AccountPost] = []
    truth: dict[tuple[str, int], str] = {}
    for account in accounts:
        for k, item in enumerate(items):
            levels = item.targets.get("levels")
            if levels and account.level not in levels:
                continue
            due = item.published_at + timedelta(hours=item.deadline_hours)
            r = rng.random()
            if r < 0.7:
                delay = rng.uniform(0.1, item.deadline_hours * 0.95)
            elif r < 0.85:
                delay = rng.uniform(item.deadline_hours * 1.1, item.deadline_hours * 3)
            else:
                delay = None
            when = item.published_at + timedelta(hours=delay) if delay is not None else None
            if when is not None and when > as_of:
                when = None
            status = ("missed" if as_of >= due else "not-due") if when is None else \
                ("on-time" if delay <= item.deadline_hours else "late")
            truth[(account.name, k)] = status
            if when is None:
                continue
            style = rng.choice(["prefix", "prefix", "rewritten-title", "title-only"])
            title = {"prefix": rng.choice(["【转载】", "转发：", "[转]", "【重磅】"]) + item.title,
                     "rewritten-title": f"{account.name}转发：{item.title[: max(4, len(item.title) // 2)]}……",
                     "title-only": item.title}[style]
            paras = item.text.split("\n")
            if style == "title-only":
                text = "点击下方链接阅读全文。"
            else:
                text = boilerplate(rng, "\n".join(light_edits(rng, paras, 0.01) if rng.random() < 0.5 else paras))
            posts.append(AccountPost(account.name, title, text, when))
        # The account's own items, some with titles like a mandatory item's.
        for j in range(rng.randint(4, 8)):
            src = own_sources[rng.randrange(len(own_sources))]
            title = src.title
            if j == 0:
                title = f"我{account.name[-3]}认真学习贯彻{rng.choice(items).title}"
            posts.append(AccountPost(account.name, title, src.text,
                                     start + timedelta(hours=rng.uniform(0, 20 * 24))))
    return accounts, items, posts, truth, as_of


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=["dev", "test"], default="dev")
    parser.add_argument("--out", type=Path, required=True, help="JSONL file for the labelled queries")
    add_data_option(parser)
    args = parser.parse_args()
    references, cases = build_set(args.split)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as f:
        for ref in references:
            f.write(json.dumps({"reference": ref.key, "title": ref.title, "text": ref.text}, ensure_ascii=False) + "\n")
        for c in cases:
            f.write(json.dumps(c.__dict__, ensure_ascii=False) + "\n")
    kinds = {k: sum(1 for c in cases if c.kind == k) for k in ("repost", "partial", "original")}
    print(f"{args.split}: {len(references)} references, queries {kinds} -> {args.out}")


if __name__ == "__main__":
    main()
