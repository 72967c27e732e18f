"""Evaluate originality and mandatory-repost detection; benchmark the reference index.

    python scripts/eval_originality.py --split test            # repost set + simulated province
    python scripts/eval_originality.py --bench-docs 1000000    # index benchmark only (minutes)

Figures printed:
- repost detection precision / recall (a query counts as a repost when the index finds
  ≥ repost_share of its content in the references; labels from scripts/make_repost_set.py);
- partial-reuse share, mean absolute error in points over the planted partial reuses;
- mandatory status accuracy over every (account, item) pair of the simulated province;
- index of N synthetic documents in a SQLite store: build speed per core (one process),
  query p95 (reposts of indexed documents and unindexed documents), peak memory (RSS).
Thresholds were chosen on --split dev; report --split test.
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]

import make_repost_set as rs  # noqa: E402

from auditor.checks.originality.index import match_references  # noqa: E402
from auditor.settings import Thresholds  # noqa: E402
from auditor.store import open_store  # noqa: E402
from auditor.store.reference import ReferenceReader, index_documents  # noqa: E402
from auditor.types import Document  # noqa: E402
from shared_data import add_data_option  # noqa: E402

T0 = rs.datetime(2024, 1, 1, 8, tzinfo=rs.CST)


def eval_reposts(split: str, workdir: Path) -> None:
    """Thresholds were chosen on the dev split; the test split uses other source documents."""
    references, cases = rs.build_set(split)
    store = open_store(f"sqlite:///{workdir / f'reposts_{split}.sqlite'}")
    index_documents(store, [Document(text=r.text, title=r.title, site="参照网站", url=f"ref://{r.key}", published_at=T0)
                            for r in references], role="higher-level")
    index = ReferenceReader(store.engine)
    th = Thresholds()
    tp = fp = fn = 0
    errors: list[float] = []
    false_partial = 0
    by_variant: dict[str, list[bool]] = {}
    latencies = []
    for i, case in enumerate(cases):
        doc = Document(text=case.text, title=case.title, site=f"账号{i}", published_at=T0 + timedelta(days=1))
        start = time.perf_counter()
        match = match_references(index, doc)
        latencies.append(time.perf_counter() - start)
        predicted = match.share >= th.repost_share
        if case.kind == "repost":
            tp += predicted
            fn += not predicted
            by_variant.setdefault(case.variant, []).append(predicted)
        else:
            fp += predicted
            by_variant.setdefault(case.variant, []).append(not predicted)
        if case.kind == "partial":
            errors.append(abs(match.share - case.share) * 100)
        if case.kind == "original" and match.share >= th.partial_reuse_min:
            false_partial += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    originals = sum(1 for c in cases if c.kind == "original")
    print(f"[{split}] references indexed: {len(references)}; queries: {len(cases)} "
          f"(repost {tp + fn}, partial {len(errors)}, original {originals})")
    print(f"[{split}] repost detection precision {precision:.3f} recall {recall:.3f} (tp {tp}, fp {fp}, fn {fn})")
    print(f"[{split}] partial-reuse share MAE {sum(errors) / len(errors):.1f} points "
          f"(max {max(errors):.1f}; {sum(e > 10 for e in errors)} of {len(errors)} over 10)")
    print(f"[{split}] originals reported as partial reuse (share ≥ {th.partial_reuse_min:.0%}): "
          f"{false_partial} of {originals}")
    for variant, ok in sorted(by_variant.items()):
        print(f"[{split}]   {variant:<26} correct {sum(ok)}/{len(ok)}")
    latencies.sort()
    print(f"[{split}] query latency p50 {latencies[len(latencies) // 2] * 1000:.1f} ms, "
          f"p95 {latencies[int(len(latencies) * 0.95)] * 1000:.1f} ms")
    store.engine.dispose()


def eval_province(split: str, workdir: Path) -> None:
    from auditor.checks.mandatory.matching import MandatoryItem
    from auditor.store.mandatory import account_statuses, add_items, ensure_account

    accounts, items, posts, truth, as_of = rs.build_province(seed=11 if split == "dev" else 12)
    store = open_store(f"sqlite:///{workdir / f'province_{split}.sqlite'}")
    ids = add_items(store, [MandatoryItem(title=i.title, text=i.text, publisher=i.publisher, published_at=i.published_at,
                                          deadline_hours=i.deadline_hours, targets=i.targets) for i in items])
    for account in accounts:
        ensure_account(store, account.name, account.level)
    index_documents(store, [Document(text=p.text, title=p.title, site=p.account, published_at=p.published_at,
                                     meta={"account": p.account}, url=f"post://{n}") for n, p in enumerate(posts)],
                    role="own")
    position = {item_id: k for k, item_id in enumerate(ids)}
    correct = total = 0
    confusion: dict[tuple[str, str], int] = {}
    start = time.perf_counter()
    for account in accounts:
        for st in account_statuses(store, account.name, as_of):
            expected = truth.get((account.name, position[st.item.id]))
            total += 1
            correct += st.status == expected
            confusion[(str(expected), st.status)] = confusion.get((str(expected), st.status), 0) + 1
    print(f"[province {split}] {len(accounts)} accounts, {len(items)} mandatory items, {len(posts)} posts; "
          f"{total} (account, item) statuses in {time.perf_counter() - start:.1f} s")
    print(f"[province {split}] mandatory status accuracy {correct / total:.4f} ({total - correct} wrong; "
          f"{len(truth)} expected pairs)")
    for (expected, got), n in sorted(confusion.items()):
        if expected != got:
            print(f"[province {split}]   expected {expected:<8} got {got:<8} {n}")
    store.engine.dispose()


# --- index benchmark ---

def _vocabulary() -> tuple[list[str], list[float]]:
    path = rs.DATA / "lexicons" / "jieba" / "dict.txt"
    words, weights = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and all("\u4e00" <= ch <= "\u9fff" for ch in parts[0]):
            words.append(parts[0])
            weights.append(float(parts[1]))
    return words, weights


def synthetic_documents(n: int, seed: int = 3):
    """Documents of 3–6 paragraphs of 60–200 words drawn by frequency from jieba's dictionary."""
    rng = random.Random(seed)
    words, weights = _vocabulary()
    cum = list(__import__("itertools").accumulate(weights))
    punct = "，，，。"
    for i in range(n):
        paras = []
        for _ in range(rng.randint(3, 6)):
            ws = rng.choices(words, cum_weights=cum, k=rng.randint(40, 120))
            paras.append("".join(w + (rng.choice(punct) if rng.random() < 0.12 else "") for w in ws) + "。")
        yield Document(text="\n".join(paras), title=f"合成文档{i}", url=f"synthetic://{i}", site=f"网站{i % 997}",
                       published_at=T0)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench(n: int, workdir: Path, batch: int = 5000, queries: int = 1000) -> None:
    store = open_store(f"sqlite:///{workdir / 'bench.sqlite'}")
    generated = generated_cpu = 0.0
    built = 0
    start, start_cpu = time.perf_counter(), time.process_time()
    docs = synthetic_documents(n)
    sample: list[Document] = []
    rng = random.Random(5)
    while built < n:
        t, t_cpu = time.perf_counter(), time.process_time()
        chunk = [d for _, d in zip(range(batch), docs)]
        generated += time.perf_counter() - t
        generated_cpu += time.process_time() - t_cpu
        if not chunk:
            break
        for d in chunk:
            if rng.random() < queries / n:
                sample.append(d)
        index_documents(store, chunk, role="reference")
        built += len(chunk)
        if built % (batch * 20) == 0:
            elapsed = time.perf_counter() - start - generated
            cpu = time.process_time() - start_cpu - generated_cpu
            print(f"[bench] {built} documents, {built / elapsed:.0f} docs/s wall, {built / cpu:.0f} docs per CPU-second, "
                  f"rss {rss_mb():.0f} MB", flush=True)
    build_s = time.perf_counter() - start - generated
    build_cpu = time.process_time() - start_cpu - generated_cpu
    print(f"[bench] build: {built} documents in {build_s:.0f} s wall (generation excluded) = {built / build_s:.0f} docs/s "
          f"in one process; {built / build_cpu:.0f} docs per CPU-second (per core; the machine is shared)")
    index = ReferenceReader(store.engine)
    fresh = list(synthetic_documents(queries // 2, seed=99))
    reposts = [Document(text="来源：某省人民政府\n" + d.text.replace("的", "地", 3) + "\n责任编辑：张三", site="查询账号",
                        published_at=T0 + timedelta(days=1)) for d in sample[:queries // 2]]
    latencies, found = [], 0
    for doc in reposts + fresh:
        t = time.perf_counter()
        match = match_references(index, doc)
        latencies.append(time.perf_counter() - t)
        found += doc.site == "查询账号" and match.share >= 0.7
    latencies.sort()
    size_mb = (workdir / "bench.sqlite").stat().st_size / 2**20
    print(f"[bench] query: {len(latencies)} queries, p50 {latencies[len(latencies) // 2] * 1000:.1f} ms, "
          f"p95 {latencies[int(len(latencies) * 0.95)] * 1000:.1f} ms; reposts found {found}/{len(reposts)}")
    print(f"[bench] memory: peak RSS {rss_mb():.0f} MB; SQLite file {size_mb:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=["dev", "test"], default="test")
    parser.add_argument("--bench-docs", type=int, default=0, help="run only the index benchmark with N documents")
    parser.add_argument("--workdir", type=Path, default=None, help="where the SQLite stores go (default: a temp dir)")
    add_data_option(parser)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        if args.bench_docs:
            bench(args.bench_docs, workdir)
            return
        eval_reposts(args.split, workdir)
        eval_province(args.split, workdir)


if __name__ == "__main__":
    main()
