"""Train the contextual character model (auditor/checks/typos/context.py) -> models/typos/context.npz.

    python scripts/train_context.py [--data ../shared/data] [--minutes 40] [--out models/typos/context.npz]

Needs torch (the ``train`` extra; never imported at run time). One thread: the machine is shared.
Masked-character prediction without masks: a left and a right tower of dilated causal
convolutions, the character at i predicted from the left tower at i-1 and the right tower at i+1,
full softmax over the alphabet at every place. Text (correct sides only): what
train_confusables.py trains on (targets of ECSpell *.train, SIGHAN 2013/14, CSCD-NS parts 2-4;
laws and reports except the 20th documents; de3's train part; the clean sentences' train four
fifths) and People's Daily sentences outside eval_typos.py's held-out tenth and outside the first
NEWS_DEV (train_confusables.py's news dev group). Never CSCD-NS parts 0-1. Each pass reads the
official corpus at OFFICIAL_SHARE and the rest OTHER_REPEATS times. Training stops after ``--minutes`` (the
learning rate decays linearly over that time); the weights are written every CHECKPOINT seconds
and at the end, with CSCD-NS part 1's targets' mean loss printed (dev, never trained on).
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from shared_data import add_data_option  # noqa: E402

from auditor.checks.typos.context import KERNEL, PAD, UNK, ContextModel  # noqa: E402
from auditor.resources import MODELS  # noqa: E402

DIM = 128
DILATIONS = (1, 2, 3, 4)  # each tower reads 1 + 2 * 10 = 21 characters on its side
MIN_COUNT = 5  # characters seen fewer times in the training text are UNK
MAX_LEN = 120  # longer sentences are cut into pieces of this length
BATCH_TOKENS = 4096
RATE, WARMUP = 2e-3, 300
OFFICIAL_SHARE = 0.25
OTHER_REPEATS = 2  # the other registers (1.7 M characters) are read twice a pass
CHECKPOINT = 300
SEED = 11
# The first 20,000 news sentences outside the held-out tenth are train_confusables.py's news dev
# group (CONFUSABLES_NEWS off); the rest are trained on. (They overlap eval_typos.NEWS_DEV_PARTS,
# on which TYP005 is calibrated: a context model to ship would train on NEWS_TRAIN_PARTS only.)
NEWS_DEV = 20000


def text_groups() -> dict[str, list[str]]:
    from eval_typos import news_held_out, news_sentences
    from train_confusables import labelled_train
    from train_de import corpus_text, de3_pairs
    from train_typos import clean_pairs, is_dev

    corpus_train, _ = corpus_text()
    news = [s for s in news_sentences() if not news_held_out(s)][NEWS_DEV:]
    return {"official": corpus_train,
            "other": ([t for _, t in labelled_train()] + [t for _, t in de3_pairs("train")]
                      + [s for s, _ in clean_pairs() if not is_dev(s)] + news)}


def pieces(texts: list[str]) -> list[str]:
    return [t[k:k + MAX_LEN] for t in texts for k in range(0, len(t), MAX_LEN) if len(t[k:k + MAX_LEN]) >= 4]


def build(alphabet: str):
    import torch
    from torch import nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            v = len(alphabet) + 2
            self.embed = nn.Embedding(v, DIM, padding_idx=PAD)
            self.towers = nn.ModuleList([nn.ModuleList([nn.Linear(KERNEL * DIM, DIM) for _ in DILATIONS])
                                         for _ in range(2)])
            for tower in self.towers:
                for layer in tower:
                    nn.init.normal_(layer.weight, std=0.5 / np.sqrt(KERNEL * DIM))
                    nn.init.zeros_(layer.bias)
            self.join = nn.Linear(2 * DIM, DIM)
            self.out = nn.Linear(DIM, v)

        @staticmethod
        def shift(h, by):
            if by > 0:
                return torch.nn.functional.pad(h, (0, 0, by, 0))[:, :h.shape[1]]
            return torch.nn.functional.pad(h, (0, 0, 0, -by))[:, -by:]

        def tower(self, x, m, layers, direction):
            h = x
            for layer, d in zip(layers, DILATIONS):
                taps = [h] + [self.shift(h, direction * d * k) for k in range(1, KERNEL)]
                h = (h + torch.relu(layer(torch.cat(taps, dim=-1)))) * m
            return h

        def forward(self, ids):
            m = (ids != PAD).unsqueeze(-1).float()
            x = self.embed(ids) * m
            left = self.shift(self.tower(x, m, self.towers[0], 1), 1)
            right = self.shift(self.tower(x, m, self.towers[1], -1), -1)
            return self.out(torch.relu(self.join(torch.cat([left, right], dim=-1))))

    return Net()


def arrays(net, alphabet: str) -> dict[str, np.ndarray]:
    f16 = lambda t: t.detach().numpy().astype(np.float16)  # noqa: E731
    out = {"alphabet": np.array(alphabet), "dilations": np.array(DILATIONS), "embed": f16(net.embed.weight),
           "join_w": f16(net.join.weight.T), "join_b": f16(net.join.bias),
           "out_w": f16(net.out.weight), "out_b": f16(net.out.bias)}
    for side, tower in zip("lr", net.towers):
        for k, layer in enumerate(tower):
            out[f"{side}{k}_w"], out[f"{side}{k}_b"] = f16(layer.weight.T), f16(layer.bias)
    return out


def batches(texts: list[str], ids_of, rng: np.random.Generator):
    """Batches of about BATCH_TOKENS tokens of texts of similar length, in random order."""
    order = rng.permutation(len(texts))
    for start in range(0, len(order), 20000):
        chunk = sorted(order[start:start + 20000], key=lambda k: len(texts[k]))
        groups, cur, width = [], [], 0
        for k in chunk:
            width = max(width, len(texts[k]))
            if cur and width * (len(cur) + 1) > BATCH_TOKENS:
                groups.append(cur)
                cur, width = [], len(texts[k])
            cur.append(k)
        if cur:
            groups.append(cur)
        for g in rng.permutation(len(groups)):
            yield ids_of([texts[k] for k in groups[g]])


def main() -> None:
    parser = argparse.ArgumentParser()
    add_data_option(parser)
    parser.add_argument("--minutes", type=float, default=40.0)
    parser.add_argument("--out", type=Path, default=MODELS / "typos" / "context.npz")
    args = parser.parse_args()
    import torch

    from eval_typos import CSC, cscd_part, read_pairs

    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    groups = {name: pieces(texts) for name, texts in text_groups().items()}
    counts = Counter(c for texts in groups.values() for t in texts for c in t)
    alphabet = "".join(c for c, n in counts.most_common() if n >= MIN_COUNT and not c.isspace())
    for name, texts in groups.items():
        print(f"{name}: {len(texts)} pieces, {sum(map(len, texts))} characters")
    print(f"alphabet: {len(alphabet)} characters seen {MIN_COUNT} times or more")
    index = {c: k for k, c in enumerate(alphabet, 2)}

    def ids_of(texts: list[str]):
        out = np.zeros((len(texts), max(map(len, texts))), dtype=np.int64)
        for k, t in enumerate(texts):
            out[k, :len(t)] = [index.get(c, UNK) for c in t]
        return torch.from_numpy(out)

    dev = [t for _, t in read_pairs(CSC / "cscd_ns" / "dev.json") if cscd_part(t) == 1]
    net = build(alphabet)
    print(f"{sum(p.numel() for p in net.parameters())} parameters")
    opt = torch.optim.Adam(net.parameters(), lr=RATE)
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=PAD)
    budget = args.minutes * 60
    t0 = last = time.perf_counter()
    step, seen, run_loss, passes = 0, 0, 0.0, 0

    def save(elapsed: float) -> None:
        a = arrays(net, alphabet)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(args.out, **a)
        model = ContextModel(a)
        lp = [model.log_probs(dev[k:k + 256]) for k in range(0, len(dev), 256)]
        ids = [model.encode(dev[k:k + 256])[0] for k in range(0, len(dev), 256)]
        total = sum(float(-np.take_along_axis(p, i[..., None], -1)[..., 0][i > UNK].sum()) for p, i in zip(lp, ids))
        n = sum(int((i > UNK).sum()) for i in ids)
        print(f"{elapsed / 60:.1f} min, step {step}, {seen} tokens seen ({passes} passes begun): train loss "
              f"{run_loss:.3f}, CSCD-NS part 1 targets loss {total / n:.3f}; wrote {args.out} "
              f"({args.out.stat().st_size / 1e6:.1f} MB)", flush=True)

    done = False
    while not done:
        passes += 1
        official = groups["official"]
        kept = np.flatnonzero(rng.random(len(official)) < OFFICIAL_SHARE)
        texts = [official[k] for k in kept] + groups["other"] * OTHER_REPEATS
        for ids in batches(texts, ids_of, rng):
            elapsed = time.perf_counter() - t0
            if elapsed > budget:
                done = True
                break
            lr = RATE * min(1.0, (step + 1) / WARMUP) * max(0.02, 1 - elapsed / budget)
            for g in opt.param_groups:
                g["lr"] = lr
            logits = net(ids)
            loss = loss_fn(logits.reshape(-1, logits.shape[-1]), ids.reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            seen += int((ids != PAD).sum())
            run_loss = 0.98 * run_loss + 0.02 * loss.item() if step > 1 else loss.item()
            if time.perf_counter() - last > CHECKPOINT:
                save(elapsed)
                last = time.perf_counter()
    save(time.perf_counter() - t0)


if __name__ == "__main__":
    main()
