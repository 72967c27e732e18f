"""The typo engine: the corrector plus the curated tables and the false-alarm guards.
One instance per process (``typo_engine``), loaded on first use, never at import."""
from __future__ import annotations

import importlib.util
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
import numpy as np

from auditor.checks.typos.confusables import ConfusableModel
from auditor.checks.typos.corrector import Corrector
from auditor.checks.typos.lm import ORDER, UNKNOWN, ngram_keys
from auditor.checks.typos.particles import PARTICLES, ParticleModel, jieba_tags
from auditor.resources import CORPORA, MODELS
from auditor.text.names import name_list_spans, speaker_names
from auditor.text.normalize import is_han, normalize
from auditor.text.traditional import traditional_positions

DATA = CORPORA / "typos"
CHUNK = 240  # characters scored at once: bounds memory on text without sentence punctuation
BATCH = 32  # chunks scored in one numpy pass: no slower than 128 on news text, and a quarter of the temporaries
MAX_NAME = 16
MEMO_SENTENCES = 50_000  # sentences' typos kept per process (about 25 MB at most)
MEMO_MAX_CHARS = 2 * CHUNK  # longer "sentences" (text without punctuation) are not kept
NAME_MIN_FREQ = 20  # pycorrector name lists: rarer entries are mostly noise
# 截止 = to stop at a deadline; 截至 = up to a point in time (《现代汉语词典》第7版).
_JIEZHI_BEFORE_TIME = re.compile(
    r"截止(?=(?:\d|[一二三四五六七八九十〇零]+月|目前|今年|去年|本月|上月|本年|年底|年末|当前|现在|发稿|今天|昨天|当日))")
_JIEZHI_AS_DEADLINE = re.compile(r"截至(?=(?:日期|时间|期限|日为|[。，；、]|$))")
COMMON_WORD, COMMON_WORD_IN_CORPUS = 100, 20  # jieba frequency; count in the official corpus
_A_YI_A = re.compile(r"([\u4e00-\u9fff])[一了]\1")
_TITLE = re.compile(r"《[^《》\n]{1,80}》")
# Short quotations mention words rather than use them (把“认真的学习”改为……, 所谓“的确”): TYP005
# leaves the particles inside them alone.
_SHORT_QUOTE = re.compile(r"“[^“”\n]{1,30}”|‘[^‘’\n]{1,30}’|「[^「」\n]{1,30}」|『[^『』\n]{1,30}』")
_MIN_REPEAT_CHAR = 200  # a character must be this common in the official corpus to judge its doubling
_MIN_REDUPLICATION = 20  # jieba frequency from which XX is a word (看看 6297; 了了 3 is too rare to excuse)
# Measure words and nouns that double to mean "every" (量词重叠, 《现代汉语八百词》): 件件有反馈,
# 条条落实, 年年举办. jieba lists only some of these doublings (个个, 条条) and 件件 not at all.
_EVERY = frozenset("个件项条次家户人事处年月日天时步层级村句字声片台座所篇份批位名棵张本根颗块代届期回场轮部类种样笔单辆架艘间栋套")
_DOUBLE_SHARE_ALONE, _DOUBLE_SHARE_BOUND = 0.002, 0.0001
# When the second copy starts a word (了解 in 得到了了解), the first is still legitimate if it
# belongs to the word on its left: in the official corpus the pair "previous X" mostly goes on
# to something other than the next word (到了 181 times, 到了解 3) — unlike an extra keystroke
# inside a word (的研 544, 的研究 445; 济发 1,084, 济发展 1,054).
_LEFT_WORD_SHARE, _LEFT_WORD_MIN = 0.5, 3


@dataclass(frozen=True)
class Typo:
    start: int
    end: int
    wrong: str
    right: str
    kind: str  # "char" / "confusion" (TYP001), "word" / "variant" (TYP002), "repeat" (TYP003), "particle" (TYP005)
    confidence: float
    confident: bool  # above the calibrated error threshold
    protected_name: str | None = None  # the state/agency/division name the correction restores
    around: tuple[str, str] = ("", "")  # the words either side (TYP005's message)


def pycorrector_data() -> Path | None:
    """pycorrector's data folder, found without importing the package (its __init__ imports torch)."""
    spec = importlib.util.find_spec("pycorrector")
    if spec and spec.submodule_search_locations:
        folder = Path(list(spec.submodule_search_locations)[0]) / "data"
        if folder.is_dir():
            return folder
    return None


def _lines(path: Path) -> list[str]:
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]


class TypoEngine:
    def __init__(self, corrector: Corrector, wrong_words: dict[str, tuple[str, str]], protected: set[str],
                 guard_names: set[str], particles: ParticleModel | None = None,
                 confusables: ConfusableModel | None = None):
        self.corrector = corrector
        self._particles = particles
        self._confusables = confusables
        self._models_lock = threading.Lock()
        self.wrong_words = wrong_words
        self.protected = protected
        self.guard_names = guard_names
        self._name_starts = {n[:2] for n in guard_names}  # most positions start no name
        self._wrong_re = re.compile("|".join(sorted(map(re.escape, wrong_words), key=len, reverse=True)))
        self._protected_lengths = sorted({len(n) for n in protected})
        self._memo: OrderedDict[str, list[Typo]] = OrderedDict()
        self._memo_lock = threading.Lock()

    @classmethod
    def load(cls) -> "TypoEngine":
        from auditor.text.nlp import jieba_tokenizer

        # jieba's own table (no copy): prefixes of words are in it with frequency 0, so
        # "is a word" is always ``words.get(w, 0) > 0``, never ``w in words``.
        words = jieba_tokenizer().FREQ
        corrector = Corrector.load(MODELS / "typos", words)
        wrong_words = {}
        for line in _lines(DATA / "wrong_words.tsv"):
            wrong, right, kind, _ = line.split("\t")
            wrong_words[wrong] = (right, "word" if kind == "错词" else "variant")
        divisions = set(_lines(DATA / "divisions.txt"))
        protected = set(_lines(DATA / "protected_names.txt")) | divisions
        guard = {d[:-1] for d in divisions if len(d) >= 3} | divisions
        folder = pycorrector_data()
        if folder is not None:
            for name in ("person_name.txt", "place_name.txt"):
                for line in _lines(folder / name):
                    word, _, freq = line.partition("\t")
                    if len(word) >= 2 and freq.strip().isdigit() and int(freq) >= NAME_MIN_FREQ:
                        guard.add(word)
        return cls(corrector, wrong_words, protected, guard)

    @property
    def particles(self) -> ParticleModel:
        """The 的/地/得 classifier (TYP005), loaded on first use."""
        return self._context_model("_particles", ParticleModel, "de.npz")

    @property
    def confusables(self) -> ConfusableModel:
        """The real-word confusion model (在/再, 做/作 …, reported as TYP001), loaded on first use."""
        return self._context_model("_confusables", ConfusableModel, "confusables.npz")

    def _context_model(self, attr: str, kind, name: str):
        """A context classifier, loaded once; it reads the corrector's general-register LM and
        jieba's table, so nothing is loaded twice."""
        with self._models_lock:
            if getattr(self, attr) is None:
                if self.corrector.general is None:
                    raise FileNotFoundError(f"{MODELS / 'typos' / 'open-gram.npz'}: {name} needs the general LM")
                setattr(self, attr, kind.load(MODELS / "typos" / name, self.corrector.words, jieba_tags(),
                                              self.corrector.general))
        return getattr(self, attr)

    # -- guards -------------------------------------------------------------------------
    def guard_mask(self, text: str) -> np.ndarray:
        """Positions inside a known person, place or division name, or a name in an enumeration
        of names: a name is spelled as its owner spells it. Verbs doubled around 一 or 了
        (翻一翻, 看了看) are their own form. (The profile's allow-list is applied by the pipeline.) And
        Traditional characters: 資 is not a typo for 资; a page in Traditional script is
        reported once, by TraditionalText, and the LM knows Simplified text only."""
        mask = np.zeros(len(text), dtype=bool)
        mask[traditional_positions(text)] = True
        for a, b in name_list_spans(text, self._common_word):
            mask[a:b] = True  # 表彰名单, 出席人员: names nobody's list has
        for m in _A_YI_A.finditer(text):
            mask[m.start():m.end()] = True  # 翻一翻, 看了看: the LM prefers 翻一番
        names, starts = self.guard_names, self._name_starts
        for i in range(len(text) - 1):
            if text[i:i + 2] not in starts:
                continue
            for length in range(2, min(MAX_NAME, len(text) - i) + 1):
                if text[i:i + length] in names:
                    mask[i:i + length] = True
        return mask

    def _common_word(self, word: str) -> bool:
        """A word, not a name: common in jieba's dictionary (which also lists names, 姜信真 2)
        or in the official corpus (高质量, 高效率)."""
        if self.corrector.words.get(word, 0) >= COMMON_WORD:
            return True
        lm = self.corrector.lm
        ids = lm.encode(word)
        return len(word) <= ORDER and not (ids <= UNKNOWN).any() and \
            int(lm.count(len(word), ngram_keys(ids[None, :], len(word)))[0]) >= COMMON_WORD_IN_CORPUS

    def _restored_name(self, text: str, pos: int, right: str) -> str | None:
        """The protected name that the corrected text has over ``pos`` and the original lacks."""
        fixed = text[:pos] + right + text[pos + len(right):]
        for length in reversed(self._protected_lengths):
            for a in range(max(0, pos + len(right) - length), min(pos, len(text) - length) + 1):
                if fixed[a:a + length] in self.protected:
                    return fixed[a:a + length]
        return None

    # -- detectors ----------------------------------------------------------------------
    def char_typos(self, text: str) -> list[Typo]:
        """Wrong characters (TYP001/TYP004) in normalized ``text``."""
        return self.char_typos_many([text])[0]

    def char_typos_many(self, texts: list[str]) -> list[list[Typo]]:
        """``char_typos`` of many sentences, scored together: one numpy pass per BATCH chunks
        (a document's worth; larger batches gain no speed and cost memory)."""
        chunks = [(k, base, text[base:base + CHUNK]) for k, text in enumerate(texts)
                  for base in range(0, len(text), CHUNK)]
        corrections = []
        for i in range(0, len(chunks), BATCH):
            group = [c for _, _, c in chunks[i:i + BATCH]]
            corrections += self.corrector.correct_many(group, [self.guard_mask(c) for c in group])
        error_cut = self.corrector.thresholds["error"]
        titles = [[(m.start(), m.end()) for m in _TITLE.finditer(text)] for text in texts]
        out: list[list[Typo]] = [[] for _ in texts]
        for (k, base, _), found in zip(chunks, corrections):
            for c in found:
                pos = base + c.start
                confident = c.probability >= error_cut
                if not confident and any(a < pos < b for a, b in titles[k]):
                    continue  # titles quote names of works: only confident corrections
                out[k].append(Typo(pos, pos + len(c.right), c.wrong, c.right, "char", c.probability, confident,
                                   self._restored_name(texts[k], pos, c.right)))
        return out

    def _context_skip(self, text: str):
        """Positions the context classifiers (TYP005, real-word confusions) leave alone: guarded
        names and Traditional text, titles of works (《》) and short quotations (a word mentioned,
        not used)."""
        mask = self.guard_mask(text)
        for m in _TITLE.finditer(text):
            mask[m.start():m.end()] = True
        for m in _SHORT_QUOTE.finditer(text):
            mask[m.start():m.end()] = True
        return mask.__getitem__

    def particle_typos_many(self, texts: list[str]) -> list[list[Typo]]:
        """Misused 的/地/得 (TYP005) in normalized sentences: the classifier's corrections, less
        those in a guarded name or Traditional text, in a title of a work (《》) or a short
        quotation (a word mentioned, not used). Warning level: the choice is often a matter of
        reading (认真的学习态度 is right), so only large margins are reported."""
        todo = [k for k, t in enumerate(texts) if any(p in t for p in PARTICLES)]
        out: list[list[Typo]] = [[] for _ in texts]
        if not todo:
            return out
        skips = [self._context_skip(texts[k]) for k in todo]
        for k, fixes in zip(todo, self.particles.fixes_many([texts[k] for k in todo], skips)):
            for f in fixes:
                confidence = float(1.0 / (1.0 + np.exp(-f.margin)))
                out[k].append(Typo(f.pos, f.pos + 1, f.wrong, f.right, "particle", confidence, False,
                                   around=(f.before, f.after)))
        return out

    def confusion_typos_many(self, texts: list[str], margin: float | None = None) -> list[list[Typo]]:
        """Real-word confusions (在/再, 做/作, 以/已 …; TYP001 at warning level) in normalized
        sentences, under the same guards as TYP005: at most one a sentence, or with ``margin``
        every disagreement above it (calibration)."""
        model = self.confusables
        live = model.rivals if margin is not None else model.live
        todo = [k for k, t in enumerate(texts) if any(c in live for c in t)]
        out: list[list[Typo]] = [[] for _ in texts]
        skips = [self._context_skip(texts[k]) for k in todo]
        for k, fixes in zip(todo, model.fixes_many([texts[k] for k in todo], skips, margin)):
            out[k] = [Typo(f.pos, f.pos + 1, f.wrong, f.right, "confusion", float(1.0 / (1.0 + np.exp(-f.margin))),
                           False) for f in fixes]
        return out

    def word_typos(self, text: str) -> list[Typo]:
        """Listed wrong words and 截止/截至 misuse (TYP002) in normalized ``text``."""
        hits = [(m.start(), m.end(), self.wrong_words[m.group()]) for m in self._wrong_re.finditer(text)]
        hits += [(m.start(), m.end(), ("截至", "word")) for m in _JIEZHI_BEFORE_TIME.finditer(text)]
        hits += [(m.start(), m.end(), ("截止", "word")) for m in _JIEZHI_AS_DEADLINE.finditer(text)]
        if not hits:
            return []
        from auditor.text.nlp import tokens

        words = [(s, e) for _, s, e in tokens(text) if e - s >= 2]
        out = []
        for start, end, (right, kind) in hits:
            # "按装机容量" is 按 + 装机容量: a listed form that straddles a real word is no error.
            if any(s < start < e or s < end < e for s, e in words):
                continue
            out.append(Typo(start, end, text[start:end], right, kind, 0.95 if kind == "word" else 0.8,
                            kind == "word"))
        return out

    def repeated_chars(self, text: str) -> list[Typo]:
        """Accidentally doubled characters (TYP003): 的的, 了了 — not 看看, 常常, 渐渐, 目的的."""
        lm, words = self.corrector.lm, self.corrector.words
        doubles = [i for i in range(len(text) - 1) if text[i] == text[i + 1] and is_han(text[i])
                   and not (i > 0 and text[i - 1] == text[i]) and not (i + 2 < len(text) and text[i + 2] == text[i])]
        if not doubles:
            return []
        from auditor.text.nlp import tokens

        single = {s for _, s, e in tokens(text) if e - s == 1}
        out = []
        for i in doubles:
            ch = text[i]
            if i not in single:
                continue  # the first one ends a word: 目的的, 大多多
            if (i + 3 < len(text) and text[i + 2] == text[i + 3]) or (i >= 2 and text[i - 2] == text[i - 1]):
                continue  # AABB reduplication: 清清楚楚, 高高兴兴
            if ch in _EVERY or words.get(ch + ch, 0) >= _MIN_REDUPLICATION or any(
                    words.get(text[a:b], 0) > 0 for a in range(max(0, i - 2), i + 1)
                    for b in range(i + 2, min(len(text), a + 4) + 1) if b - a > 2):
                continue  # a word spans both: 常常, 不了了之, 的的确确
            if i + 1 not in single and self._ends_left_word(text, i):
                continue  # 得到了 + 了解, 还有 + 有关部门, 是说 + 说谎
            if text[i + 2:i + 3] == "长" and words.get(ch + "长", 0) > 0:
                continue  # a unit and its head: 农业农村厅厅长, 司机班班长, 办公室室长
            ids = lm.encode(ch + ch)
            count = int(lm.char_count(ids[:1])[0])
            double = int(lm.count(2, (ids[:1].astype(np.uint64) << np.uint64(16)) | ids[1:].astype(np.uint64))[0])
            # The official corpus seldom has the pair (的的 0.06% of 的, mostly 目的的); when
            # the second one is bound to the next word (研研究) it must be rarer still.
            share = _DOUBLE_SHARE_ALONE if i + 1 in single else _DOUBLE_SHARE_BOUND
            if count >= _MIN_REPEAT_CHAR and double <= max(2, count * share):
                out.append(Typo(i + 1, i + 2, ch, "", "repeat", 0.9, True))
        return out

    def _ends_left_word(self, text: str, i: int) -> bool:
        """text[i] (doubled at i + 1) attaches to its left neighbour rather than to the next word."""
        if i == 0 or i + 2 >= len(text) or not is_han(text[i - 1]):
            return False
        lm = self.corrector.lm
        ids = lm.encode(text[i - 1:i + 3])
        if (ids[:3] <= UNKNOWN).any():
            return False
        pair = int(lm.count(2, ngram_keys(ids[None, :2], 2))[0])
        going_on = int(lm.count(3, ngram_keys(ids[None, [0, 1, 3]], 3))[0])
        return pair - going_on >= max(_LEFT_WORD_MIN, _LEFT_WORD_SHARE * pair)

    def typos_many(self, texts: list[str]) -> list[list[Typo]]:
        """Every typo (TYP001-005) of each normalized sentence, in text order. A sentence's
        typos depend on its text alone, so sentences seen before (an editor re-checking a
        draft, a site's recurring sentences) come from a bounded memo; only new ones are scored."""
        with self._memo_lock:
            found = [self._memo.get(t) for t in texts]
        todo = list(dict.fromkeys(t for t, f in zip(texts, found) if f is None))
        if not todo:
            return found
        scored = {}
        for text, chars, particles, confusions in zip(todo, self.char_typos_many(todo), self.particle_typos_many(todo),
                                                      self.confusion_typos_many(todo)):
            typos = self.word_typos(text) + self.repeated_chars(text)
            taken = {i for t in typos for i in range(t.start, t.end)}
            # 的/地/得 for one another is TYP005's to judge (its own classifier, message and margins).
            chars = [t for t in chars if not (t.wrong in PARTICLES and t.right in PARTICLES)]
            typos += [t for t in chars if t.start not in taken]
            taken |= {t.start for t in chars}
            typos += [t for t in particles if t.start not in taken]
            taken |= {t.start for t in particles}
            typos += [t for t in confusions if t.start not in taken]
            scored[text] = sorted(typos, key=lambda t: t.start)
        with self._memo_lock:
            for text, typos in scored.items():
                if len(text) <= MEMO_MAX_CHARS:
                    self._memo[text] = typos
                    self._memo.move_to_end(text)
            while len(self._memo) > MEMO_SENTENCES:
                self._memo.popitem(last=False)
        return [scored[t] if f is None else f for t, f in zip(texts, found)]

    def document_typos(self, texts: list[str]) -> list[list[Typo]]:
        """``typos_many`` for the sentences of one document, less the wrong-character findings
        on the names of the people it quotes (刘兴亮表示 … 院长刘兴亮从 …): a name is written as
        its owner writes it, and it is a name wherever it recurs in the document. (Kept out of
        the sentence memo, which must not depend on the rest of the document.)"""
        results = self.typos_many(texts)
        names = set().union(*(speaker_names(t, self._common_word) for t in texts))
        if not names:
            return results
        pattern = re.compile("|".join(map(re.escape, sorted(names, key=len, reverse=True))))
        out = []
        for text, typos in zip(texts, results):
            spans = [(m.start(), m.end()) for m in pattern.finditer(text)] if typos else []
            out.append([t for t in typos if not (t.kind == "char" and t.protected_name is None
                                                 and any(a < t.end and t.start < b for a, b in spans))])
        return out

    def correct_sentence(self, sentence: str, errors_only: bool = False) -> str:
        """The sentence with every same-length correction applied (evaluation view);
        ``errors_only`` leaves out the warning-level ones."""
        return self.correct_sentences([sentence], errors_only)[0]

    def correct_sentences(self, sentences: list[str], errors_only: bool = False, batch: int = 64) -> list[str]:
        """``correct_sentence`` for many sentences, scored ``batch`` at a time as the check
        scores the sentences of a document."""
        out = []
        for i in range(0, len(sentences), batch):
            group = sentences[i:i + batch]
            for sentence, typos in zip(group, self.typos_many([normalize(s) for s in group])):
                chars = list(sentence)
                for t in typos:
                    if len(t.right) == t.end - t.start and (t.confident or not errors_only):
                        chars[t.start:t.end] = list(t.right)
                out.append("".join(chars))
        return out


@lru_cache(maxsize=1)
def typo_engine() -> TypoEngine:
    return TypoEngine.load()
