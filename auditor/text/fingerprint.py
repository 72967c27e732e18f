"""Near-duplicate fingerprints: MinHash over character shingles, per document and per unit.

A document's *content* is its Han characters, letters and digits (punctuation, spaces and
boilerplate lines such as 来源：/责任编辑：/版权声明 dropped; Traditional characters mapped to
Simplified, full-width to ASCII), so a repost with another header, other punctuation or a
Traditional-character copy keeps its shingles. The content is cut into *units*: paragraphs,
with long paragraphs cut at sentence ends. Each unit with enough characters gets LSH band
keys, so a single reused paragraph finds the document it came from (partial reuse), and the
whole content gets one MinHash signature (datasketch, scheme ``affine32``) for Jaccard
estimates. Signatures are computed in bulk with numpy and equal datasketch's own
``MinHash(hashfunc=identity).update_batch`` over the same shingle hashes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Sequence

import numpy as np

from auditor.text import regex
from auditor.text.normalize import normalize

SHINGLE = 5  # characters per shingle: one edited character changes 5 shingles
NUM_PERM = 64  # document signature length
BANDS, ROWS = 6, 3  # unit LSH: P(candidate) = 1-(1-J^3)^6 → 0.99 at J=0.85, 0.50 at J=0.5
SEED = 1
MIN_UNIT = 8  # content characters; shorter lines (dates, signatures, "一、") carry no evidence
MIN_ANCHOR = 24  # content characters a unit needs to get band keys
MAX_UNIT = 300  # longer paragraphs are cut at sentence ends

# Lines that describe the page rather than the article: attribution, editors, dates, sharing,
# copyright and repost notices. Traditional forms included (reposted Traditional copies).
BOILERPLATE_LINE = regex.compile(
    r"^[\s【\[(（]*(?:(?:信息|文章|稿件|新闻)?[来來]源|稿源|[转轉](?:[载載]自?|自)|原[标標][题題]|原文[链鏈]接|作者|"
    r"(?:[责責]任)?[编編][辑輯]|[审審][核稿]|[校][对對]|[撰][稿]|[记記]者|[摄攝]影|[发發]布(?:[时時][间間]|日期)|[时時][间間]|"
    r"日期|[阅閱][读讀]|[浏瀏][览覽]|[点點][击擊])\s*[:：]"
    r"|[扫掃](?:一[扫掃]|描二[维維][码碼]|[码碼])|[转轉][载載][请請]?注明|[版][权權](?:[归歸]|所有|[声聲]明)|如有侵[权權]|"
    r"免[责責][声聲]明|分享到|打印本?[页頁]|[关關][闭閉][窗][口]")
_SENTENCE_END = re.compile(r"[。！？；!?]")
_CONTENT = re.compile(r"[^\W_]+")
_NON_CONTENT = re.compile(r"[\W_]+")
# Pinyin syllables with tone marks that damaged copies put after each character: 网(wǎng).
_PINYIN = regex.compile(r"[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*")
_TONE_MARK = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]")  # cheap test before the substitution

_B = np.uint32(0x01000193)  # FNV prime: polynomial base for the rolling shingle hash
_MASK64 = np.uint64(0x7FFFFFFFFFFFFFFF)
_BLOCK = 8192  # shingles hashed together by sketches()


@lru_cache(maxsize=1)
def permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutation parameters for NUM_PERM and SEED."""
    from datasketch import MinHash

    a, b = MinHash(num_perm=NUM_PERM, seed=SEED).permutations
    return a.astype(np.uint32), b.astype(np.uint32)


def fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, as datasketch applies it before its permutations."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def _fmix64(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


def _simplified(chars: str) -> str:
    if not chars:
        return chars
    from auditor.text.traditional import to_simplified

    out = to_simplified(chars)
    if len(out) != len(chars):  # a phrase conversion changed the length: go one character at a time
        out = to_simplified("\n".join(chars)).replace("\n", "")
        if len(out) != len(chars):
            return chars
    return out


@dataclass(frozen=True)
class Unit:
    """A paragraph (or a piece of a long one): offsets into the original text and into the content."""

    start: int  # code-point offsets into the text
    end: int
    cstart: int  # offsets into the content string
    cend: int

    @property
    def size(self) -> int:
        return self.cend - self.cstart


class Fingerprint:
    """Content, units, shingle hashes, signature and band keys of one text."""

    def __init__(self, text: str):
        norm = normalize(text or "").lower()
        if _TONE_MARK.search(norm):
            norm = _PINYIN.sub(lambda m: " " * len(m.group()), norm)
        runs: list[str] = []
        size = 0
        units: list[Unit] = []
        for line in re.finditer(r"[^\n]+", norm):
            if len(line.group()) < 200 and BOILERPLATE_LINE.search(line.group()[:60]):
                continue
            for piece_start, piece_end in _pieces(line.group()):
                piece = line.group()[piece_start:piece_end]
                chars = _NON_CONTENT.sub("", piece)
                if len(chars) < MIN_UNIT:
                    continue
                runs.append(chars)
                offset = line.start() + piece_start
                units.append(Unit(offset + _CONTENT.search(piece).start(), offset + len(piece.rstrip()),
                                  size, size + len(chars)))
                size += len(chars)
        self.content = _simplified("".join(runs))
        self.units = units

    @cached_property
    def shingles(self) -> np.ndarray:
        """uint32 hash of the shingle starting at each content position (shorter tail: none)."""
        codes = np.frombuffer(self.content.encode("utf-32-le"), dtype=np.uint32)
        n = len(codes) - SHINGLE + 1
        if n <= 0:
            return np.zeros(0, dtype=np.uint32)
        h = np.zeros(n, dtype=np.uint32)
        with np.errstate(over="ignore"):
            for j in range(SHINGLE):
                h = h * _B + codes[j:j + n]
        return h

    def unit_shingles(self, unit: Unit) -> np.ndarray:
        """Shingles starting in the unit and lying wholly inside it."""
        return self.shingles[unit.cstart:max(unit.cstart, unit.cend - SHINGLE + 1)]

    @cached_property
    def anchors(self) -> list[Unit]:
        return [u for u in self.units if u.size >= MIN_ANCHOR]

    @cached_property
    def _sketch(self) -> tuple[np.ndarray, set[tuple[int, int]]]:
        return sketches([self])[0]

    @property
    def signature(self) -> np.ndarray:
        """The document's MinHash hash values (NUM_PERM uint32)."""
        return self._sketch[0]

    @property
    def band_keys(self) -> set[tuple[int, int]]:
        """(band, bucket) LSH keys of every anchor unit; bucket is a non-negative int64."""
        return self._sketch[1]

    def minhash(self):
        """The signature as a datasketch LeanMinHash."""
        from datasketch import LeanMinHash, MinHash

        return LeanMinHash(MinHash(scheme="affine32", hashvalues=self.signature, permutations=permutations(),
                                   seed=SEED))

    def signature_bytes(self) -> bytes:
        return serialized_signature(self.signature)


def sketches(fingerprints: Sequence[Fingerprint]) -> list[tuple[np.ndarray, set[tuple[int, int]]]]:
    """Signature and band keys of each fingerprint, hashed in blocks of documents: numpy's
    per-call cost is shared by the block, and each block's permuted hashes stay in cache."""
    out: list[tuple[np.ndarray, set[tuple[int, int]]]] = []
    start = 0
    while start < len(fingerprints):
        end, size = start + 1, len(fingerprints[start].shingles)
        while end < len(fingerprints) and size + len(fingerprints[end].shingles) <= _BLOCK:
            size += len(fingerprints[end].shingles)
            end += 1
        out.extend(_sketch_block(fingerprints[start:end]))
        start = end
    return out


def _sketch_block(fps: Sequence[Fingerprint]) -> list[tuple[np.ndarray, set[tuple[int, int]]]]:
    # The block's shingles side by side, cut into segments: each document starts one, and each
    # anchor's shingles form one, so minima per segment give both signatures and anchor minima.
    starts: list[int] = []
    first_segment: list[int] = []  # per document with shingles
    anchor_segment: list[int] = []
    anchor_doc: list[int] = []
    offset = 0
    for i, fp in enumerate(fps):
        n = len(fp.shingles)
        if n == 0:
            continue
        first_segment.append(len(starts))
        starts.append(offset)
        for u in fp.anchors:
            begin, end = u.cstart, u.cend - SHINGLE + 1  # anchors are disjoint and ordered
            if begin > 0:
                starts.append(offset + begin)
            anchor_segment.append(len(starts) - 1)
            anchor_doc.append(i)
            if end < n:
                starts.append(offset + end)
        offset += n
    out: list[tuple[np.ndarray, set[tuple[int, int]]]] = [
        (np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32), set()) if len(fp.shingles) == 0 else None
        for fp in fps]
    if not starts:
        return out
    a, b = permutations()
    with np.errstate(over="ignore"):
        permuted = np.multiply.outer(a, fmix32(np.concatenate([fp.shingles for fp in fps])))
        permuted += b[:, None]
    segments = np.minimum.reduceat(permuted, starts, axis=1)
    signatures = np.ascontiguousarray(np.minimum.reduceat(segments, first_segment, axis=1).T)
    for i, signature in zip((i for i, fp in enumerate(fps) if len(fp.shingles)), signatures):
        out[i] = (signature, set())
    if anchor_segment:
        rows = segments[:BANDS * ROWS, anchor_segment].T.astype(np.uint64).reshape(len(anchor_segment), BANDS, ROWS)
        with np.errstate(over="ignore"):
            mixed = np.zeros((len(anchor_segment), BANDS), dtype=np.uint64)
            for r in range(ROWS):
                mixed = _fmix64(mixed * np.uint64(0x9E3779B97F4A7C15) + rows[:, :, r] + np.uint64(r + 1))
            mixed = _fmix64(mixed + np.arange(BANDS, dtype=np.uint64) * np.uint64(0x632BE59BD9B4E019)) & _MASK64
        for i, buckets in zip(anchor_doc, mixed.tolist()):
            out[i][1].update(enumerate(buckets))
    return out


def serialized_signature(signature: np.ndarray) -> bytes:
    """LeanMinHash's serialization (native byte order), without building the object."""
    return _serialized_header() + signature.astype(np.uint32).tobytes()


@lru_cache(maxsize=1)
def _serialized_header() -> bytes:
    """Seed, negated length and scheme code: the same for every signature of this module."""
    lean = Fingerprint("").minhash()
    buf = bytearray(lean.bytesize())
    lean.serialize(buf)
    return bytes(buf[:len(buf) - 4 * NUM_PERM])


def signature_from_bytes(data: bytes):
    from datasketch import LeanMinHash

    return LeanMinHash.deserialize(data)


def _pieces(line: str) -> list[tuple[int, int]]:
    """A line, or pieces of at most about MAX_UNIT characters ending at sentence ends."""
    if len(line) <= MAX_UNIT:
        return [(0, len(line))]
    out: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(line):
        if m.end() - start >= MAX_UNIT // 2:
            out.append((start, m.end()))
            start = m.end()
    if start < len(line):
        if out and len(line) - start < MAX_UNIT // 4:
            out[-1] = (out[-1][0], len(line))
        else:
            out.append((start, len(line)))
    return out
