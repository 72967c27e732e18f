"""A small contextual character model: P(character at i | the characters around it, not itself).

Two towers of dilated causal convolutions over character embeddings read the sentence, one from
the left and one from the right; the character at ``i`` is predicted from the left tower at
``i - 1`` and the right tower at ``i + 1``, so one pass scores every position without masking it.
Trained by ``scripts/train_context.py`` (masked-character prediction on correct text, full
softmax); the weights are plain numpy arrays (``models/typos/context.npz``, float16), run here
in numpy, loaded once, lazily. ``margins`` gives log P(candidate) - log P(written) at a
position: the normaliser cancels, so only the two characters' output rows are read."""
from __future__ import annotations

from pathlib import Path

import numpy as np

PAD, UNK = 0, 1  # ids of the padding (outside the sentence) and of characters outside the alphabet
KERNEL = 3


class ContextModel:
    def __init__(self, arrays: dict[str, np.ndarray]):
        self.alphabet = str(arrays["alphabet"])
        self.ids = {c: k for k, c in enumerate(self.alphabet, 2)}
        self.dilations = [int(d) for d in arrays["dilations"]]
        f32 = lambda name: arrays[name].astype(np.float32)  # noqa: E731
        self.embed = f32("embed")
        self.towers = [[(f32(f"{side}{k}_w"), f32(f"{side}{k}_b")) for k in range(len(self.dilations))]
                       for side in ("l", "r")]
        self.join_w, self.join_b = f32("join_w"), f32("join_b")
        self.out_w, self.out_b = f32("out_w"), f32("out_b")

    @classmethod
    def load(cls, path: Path) -> "ContextModel":
        with np.load(path) as z:
            return cls({k: z[k] for k in z.files})

    def encode(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Character ids, right-padded with PAD to the longest text, and the mask of real places."""
        width = max((len(t) for t in texts), default=0)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        for k, t in enumerate(texts):
            ids[k, :len(t)] = [self.ids.get(c, UNK) for c in t]
        return ids, ids != PAD

    def _tower(self, x: np.ndarray, mask: np.ndarray, layers, direction: int) -> np.ndarray:
        """Residual dilated convolutions, causal (direction 1: reads i, i-d, i-2d) or anti-causal
        (-1); padded places are zeroed after every layer, as in training."""
        m = mask[..., None].astype(np.float32)
        h = x
        for (w, b), d in zip(layers, self.dilations):
            taps = [h] + [shift(h, direction * d * k) for k in range(1, KERNEL)]
            h = (h + np.maximum(np.concatenate(taps, axis=-1) @ w + b, 0.0)) * m
        return h

    def hidden(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """The context vector at every place (batch, width, d) and the mask of real places."""
        ids, mask = self.encode(texts)
        x = self.embed[ids] * mask[..., None]
        left = shift(self._tower(x, mask, self.towers[0], 1), 1)  # i-1's view of the left
        right = shift(self._tower(x, mask, self.towers[1], -1), -1)  # i+1's view of the right
        return np.maximum(np.concatenate([left, right], axis=-1) @ self.join_w + self.join_b, 0.0), mask

    def hidden_by_text(self, texts: list[str], tokens: int = 4096) -> dict[str, np.ndarray]:
        """``hidden`` of each text, computed in batches of texts of similar length."""
        out = {}
        texts = sorted(texts, key=len)
        k = 0
        while k < len(texts):
            n = max(1, tokens // max(1, len(texts[min(len(texts) - 1, k + 63)])))
            group = texts[k:k + min(64, n)]
            h, _ = self.hidden(group)
            out.update((t, h[j, :len(t)]) for j, t in enumerate(group))
            k += len(group)
        return out

    def margins(self, places: list[tuple[str, int, str]]) -> list[np.ndarray]:
        """For each (text, i, members): log P(member | context) - log P(text[i] | context) for each
        member (0 for a member or written character outside the alphabet)."""
        if not places:
            return []
        vectors = self.hidden_by_text(sorted({t for t, _, _ in places}))
        out = []
        for text, i, members in places:
            v = vectors[text][i]
            ids = np.array([self.ids.get(c, UNK) for c in text[i] + members])
            logits = self.out_w[ids] @ v + self.out_b[ids]
            known = ids != UNK
            out.append(np.where(known[1:] & known[0], logits[1:] - logits[0], 0.0))
        return out

    def log_probs(self, texts: list[str]) -> np.ndarray:
        """Full log-softmax at every place (for checks and evaluation; the check uses ``margins``)."""
        h, _ = self.hidden(texts)
        z = h @ self.out_w.T + self.out_b
        z -= z.max(axis=-1, keepdims=True)
        return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def shift(h: np.ndarray, by: int) -> np.ndarray:
    """``h`` moved ``by`` places along the sequence axis (positive: out[t] = h[t - by]), zero-filled."""
    out = np.zeros_like(h)
    if by > 0:
        out[:, by:] = h[:, :-by]
    elif by < 0:
        out[:, :by] = h[:, -by:]
    else:
        out[:] = h
    return out
