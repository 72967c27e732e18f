"""Person names where they are personal data: after a field label (姓名：, 户主, 申请人 …), in the
name column of a 公示 table, in a record line next to an ID or phone number, and in sentences
about a private person that carry such a number. A name alone in news is not a leak. Masked
names (张*, 张某) are recognised as masked."""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Any, Iterable

from auditor.checks.privacy.recognizer import Candidate
from auditor.checks.privacy.records import Layout
from auditor.text.tables import NAME_HEADERS
from auditor.text import PreparedDocument
from auditor.text.names import looks_like_name, surname_length

NAME_LABELS = ("户主姓名", "申请人姓名", "姓名", "户主", "申请人", "联系人", "监护人", "家长", "当事人", "收款人", "持卡人",
               "患者", "救助对象", "受助人", "被执行人", "举报人", "投诉人", "求助人", "委托人", "村民", "居民", "学生",
               "困难群众", "低保户", "贫困户", "特困人员")
_LABEL = re.compile(r"(?:" + "|".join(NAME_LABELS) + r")\s*[：:]?\s*(?=[\u4e00-\u9fff])")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_MASKED_NAME = re.compile(r"^(?P<surname>[\u4e00-\u9fff]{1,2}?)(?:[*＊×●]{1,3}|某{1,2})$")
TITLES = ("先生", "女士", "同志", "老师", "师傅", "等")
# Parts of speech a given name never has (verbs, prepositions, particles, numbers …).
_NOT_GIVEN_NAME_POS = ("v", "p", "c", "u", "d", "m", "q", "r", "x", "t", "f", "y", "e")
_NOT_NAME_START_POS = ("c", "p", "u", "d", "v", "r")
_COMMON_NOUN = 1000  # jieba frequency: 老师 and 家长 are words, 世民 is a given name
_FUNCTION_TAIL = "于在的和与及等为是向被把将从已因"
# Words before a name that make it an official acting in office, not a private person.
OFFICIAL_TITLES = frozenset(("市长", "副市长", "局长", "副局长", "书记", "副书记", "主任", "副主任", "县长", "副县长", "区长",
                             "镇长", "乡长", "主席", "部长", "厅长", "处长", "科长", "委员", "记者", "通讯员", "主持人",
                             "代表", "总经理", "董事长", "院长", "校长", "教授", "专家", "省长", "常委", "干部", "组长"))
@lru_cache(maxsize=1)
def _pos_tagger() -> Any:
    """jieba's POS tagger, loaded on first need: most pages never have a sentence about a
    private person next to an ID or phone number, and loading it costs about a second."""
    from auditor.text.nlp import jieba_tokenizer

    tokenizer = jieba_tokenizer()  # imports jieba first, without pkg_resources
    import jieba.posseg

    return jieba.posseg.POSTokenizer(tokenizer)


_CACHED_CHARS = 500  # longer "sentences" (text without punctuation) are not kept


def _pos_tags(text: str) -> tuple[tuple[str, str], ...]:
    """(word, POS) of ``text``. Sentences of ordinary length are tagged once per process
    (a re-checked draft); text without punctuation is tagged each time."""
    return _cached_tags(text) if len(text) <= _CACHED_CHARS else _tag(text)


@lru_cache(maxsize=4096)
def _cached_tags(text: str) -> tuple[tuple[str, str], ...]:
    return _tag(text)


def _tag(text: str) -> tuple[tuple[str, str], ...]:
    return tuple((w.word, w.flag) for w in _pos_tagger().lcut(text))


class PersonName:
    kind = "name"

    def find(self, doc: PreparedDocument, layout: Layout, anchors: list[Candidate]) -> Iterable[Candidate]:
        found: dict[tuple[int, int], Candidate] = {}

        def add(start: int, end: int, score: float, how: str) -> None:
            if (start, end) in found or not 2 <= end - start <= 5:
                return  # the first reading of a cell stands; no name (masked or not) has another length
            word = doc.norm[start:end]
            masked = _MASKED_NAME.match(word)
            if masked and surname_length(word + "x") == len(masked.group("surname")):
                found[(start, end)] = Candidate(self.kind, start, end, 1.0, (), "masked", {"how": how})
            elif looks_like_name(word):
                found[(start, end)] = Candidate(self.kind, start, end, score, tuple(range(start, end)), "leak",
                                                {"how": how})

        for m in _LABEL.finditer(doc.norm):
            run = _HAN_RUN.match(doc.norm, m.end())
            masked = re.match(r"[\u4e00-\u9fff]{1,2}(?:[*＊×●]{1,3}|某{1,2})", doc.norm[m.end():m.end() + 6])
            if masked:
                add(m.end(), m.end() + masked.end(), 1.0, "label")
            elif run:
                # Without a colon the label may just be a noun of the sentence (学生和老师), not
                # a field before a name (户主张三, 申请人王秀英).
                colon = ":" in m.group() or "：" in m.group()
                span = self._name_in(doc, run.start(), run.end(), bare=not colon)
                if span:
                    add(*span, 0.85, "label")
        anchor_lines = {id(ln) for c in anchors if (ln := layout.line_at(c.start)) is not None}
        for line in layout.lines:
            if line.header_words & NAME_HEADERS:
                for s, e in line.cells_in(NAME_HEADERS):
                    add(s, e, 0.9, "column")
            if id(line) in anchor_lines and line.tabular:
                for s, e in line.cells:
                    add(s, e, 0.7, "record")
        sentences = doc.sentences
        starts = [s.start for s in sentences]
        with_anchor = {i for c in anchors if (i := bisect.bisect_right(starts, c.start) - 1) >= 0
                       and c.start < sentences[i].end}
        for i in sorted(with_anchor):
            line = layout.line_at(sentences[i].start)
            if line is not None and (line.tabular or line.header is not None):
                continue  # table rows: their cells were read above
            for start, end in self._names_in_sentence(doc, sentences[i].start, sentences[i].end):
                add(start, end, 0.7, "sentence")
        return found.values()

    def _name_in(self, doc: PreparedDocument, start: int, end: int, bare: bool = False) -> tuple[int, int] | None:
        """The name at the start of a Han run that follows a label (``bare``: a label without a
        colon, where the run may be the rest of the sentence instead)."""
        run = doc.norm[start:end]
        for title in TITLES:
            if run.endswith(title) and len(run) > len(title) + 1:
                run, end = run[: -len(title)], end - len(title)
        if bare and self._function_word_then_noun(doc.norm[start:end]):
            return None
        if len(run) <= 3 + (surname_length(run) == 2):
            return (start, end) if looks_like_name(run) else None
        names = self._names_in_sentence(doc, start, end)
        return names[0] if names and names[0][0] == start else None

    @staticmethod
    def _function_word_then_noun(run: str) -> bool:
        """学生和老师, 居民与家长: a function word that is also a surname, then a common
        two-character word. Not 申请人于海, 户主曾世民 (于 and 曾 are surnames too)."""
        from auditor.text.nlp import jieba_tokenizer

        first = _pos_tags(run)[:1]
        return bool(first) and len(first[0][0]) == 1 and first[0][1].startswith(_NOT_NAME_START_POS) \
            and len(run) >= 3 and jieba_tokenizer().FREQ.get(run[1:3], 0) >= _COMMON_NOUN

    def _names_in_sentence(self, doc: PreparedDocument, start: int, end: int) -> list[tuple[int, int]]:
        tokens = []
        pos = start
        for word, flag in _pos_tags(doc.norm[start:end]):
            tokens.append((word, flag, pos))
            pos += len(word)
        out = []
        for i, (word, flag, s) in enumerate(tokens):
            if not flag.startswith("nr") or (i and tokens[i - 1][0] in OFFICIAL_TITLES):
                continue
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if (len(word) == 1 and nxt and 1 <= len(nxt[0]) <= 2 and _HAN_RUN.fullmatch(nxt[0])
                    and not nxt[1].startswith(_NOT_GIVEN_NAME_POS)):
                word = word + nxt[0]
            elif (len(word) == 2 and nxt and len(nxt[0]) == 1 and _HAN_RUN.fullmatch(nxt[0])
                  and nxt[0] not in _FUNCTION_TAIL and (i + 2 >= len(tokens) or not _HAN_RUN.match(tokens[i + 2][0]))):
                word = word + nxt[0]
            elif len(word) == 3 and word[-1] in _FUNCTION_TAIL:
                word = word[:2]
            if looks_like_name(word) and (not out or out[-1][1] <= s):
                out.append((s, s + len(word)))
        return out
