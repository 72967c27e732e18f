"""Rule packs: YAML files under ``corpora/rules/``, one per theme, parsed once per process.

A pack holds defaults (``source``, ``why``, ``severity``, ``scope``) and a list of rules.
Each rule names its ``kind`` (the code that matches it, see ``auditor.checks.wording``),
the Rule metadata every family carries (code, name, severity, message, what/why/fix/source,
bad/good examples) and its matching data (terms, a pattern, a sequence, exceptions).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import yaml

from auditor.checks.base import Example, Rule
from auditor.resources import CORPORA
from auditor.text import regex
from auditor.types import Severity

RULES_DIR = CORPORA / "rules"
SCOPES = ("document", "paragraph", "sentence", "title")
ENCLOSURES = {"book_title": ("《", "》"), "quote": ("“", "”"), "parens": ("（", "）")}


class PackError(ValueError):
    """A rule pack is malformed; the message names the pack and the rule."""


@dataclass(frozen=True)
class Exceptions:
    """When a match is not a finding: the text just before or after it, the sentence it is in,
    an enclosing 《》/“”/（）, or a document dated before the rule (or term) took effect.
    A term's context patterns add to its rule's; its dates replace the rule's."""

    not_before: re.Pattern[str] | None = None  # preceding text ends with this
    not_after: re.Pattern[str] | None = None  # following text starts with this
    not_in_sentence: re.Pattern[str] | None = None
    not_in_title: re.Pattern[str] | None = None  # Document.title (a law of Hong Kong keeps its titles)
    outside: tuple[str, ...] = ()
    historical_year: bool = False  # the sentence names a year before ``since``: history, not current use
    since: date | None = None  # documents published before this date are not checked
    until: date | None = None  # documents published after this date are not checked

    def merged(self, other: "Exceptions") -> "Exceptions":
        """``other`` (a term's own exceptions) refines ``self`` (the rule's)."""
        return Exceptions(
            not_before=_either(self.not_before, other.not_before), not_after=_either(self.not_after, other.not_after),
            not_in_sentence=_either(self.not_in_sentence, other.not_in_sentence),
            not_in_title=_either(self.not_in_title, other.not_in_title),
            historical_year=self.historical_year or other.historical_year,
            outside=tuple(dict.fromkeys(self.outside + other.outside)),
            since=other.since or self.since, until=other.until or self.until)


def _either(a: re.Pattern[str] | None, b: re.Pattern[str] | None) -> re.Pattern[str] | None:
    if a is None or b is None or a.pattern == b.pattern:
        return a or b
    return re.compile(f"{a.pattern}|{b.pattern}")


@dataclass(frozen=True)
class Term:
    """One literal of a substitution/existence rule: what is wrong and what to write instead."""

    text: str
    replacements: tuple[str, ...] = ()
    exceptions: Exceptions = field(default_factory=Exceptions)
    token: bool = False  # must start and end on jieba token boundaries
    note: str = ""  # shown in the message as {note}


@dataclass(frozen=True)
class RuleSpec:
    """A Rule plus what its kind needs to match it."""

    rule: Rule
    pack: str
    kind: str
    scope: str
    exceptions: Exceptions
    terms: tuple[Term, ...] = ()
    pattern: re.Pattern[str] | None = None
    replace: str | None = None  # suggestion template (re.Match.expand syntax)
    validate: str | None = None  # name of a validation hook
    group: int | str = 0  # which group of the pattern is reported
    token: bool = False
    options: Mapping[str, Any] = field(default_factory=dict)  # kind-specific data


_RULE_KEYS = {"code", "name", "kind", "severity", "message", "what", "why", "fix", "source", "status", "scope",
              "mechanical", "bad", "good", "terms", "terms_file", "pattern", "replace", "validate", "group", "token", "options",
              "not_before", "not_after", "not_in_sentence", "not_in_title", "outside", "since", "until",
              "historical_year"}
_TERM_KEYS = {"text", "replace", "token", "note", "not_before", "not_after", "not_in_sentence", "not_in_title",
              "outside", "since", "until", "historical_year"}
_EXCEPTION_KEYS = ("not_before", "not_after", "not_in_sentence", "not_in_title", "outside", "since", "until",
                   "historical_year")


@lru_cache(maxsize=1)
def load_packs(directory: Path = RULES_DIR) -> tuple[RuleSpec, ...]:
    """Every rule of every pack, sorted by code. Parsed once per process."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    specs: list[RuleSpec] = []
    for path in sorted(directory.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
        pack = str(data.get("pack") or path.stem)
        defaults = {k: data[k] for k in ("source", "why", "severity", "scope", "kind", "fix", "token") + _EXCEPTION_KEYS
                    if k in data}
        for raw in data.get("rules") or ():
            specs.append(_spec(pack, {**defaults, **raw}))
    return tuple(sorted(specs, key=lambda s: s.rule.code))


def _spec(pack: str, raw: Mapping[str, Any]) -> RuleSpec:
    where = f"{pack}: {raw.get('code', '?')}"
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise PackError(f"{where}: unknown keys {sorted(unknown)}")
    try:
        terms = tuple(_term(t, where) for t in raw.get("terms") or ())
        if raw.get("terms_file"):  # a long curated list: one term a line, beside the pack
            lines = (RULES_DIR / raw["terms_file"]).read_text(encoding="utf-8").splitlines()
            terms += tuple(Term(text=line.strip()) for line in lines if line.strip())
        scope = str(raw.get("scope", "document"))
        if scope not in SCOPES:
            raise PackError(f"{where}: unknown scope {scope!r}")
        what = raw.get("what") or _default_what(terms)
        fix = raw.get("fix") or _default_fix(terms)
        rule = Rule(code=raw["code"], name=raw["name"], severity=Severity.parse(raw.get("severity", "error")),
                    message=raw["message"], what=what, why=raw["why"], fix=fix, source=raw["source"],
                    bad=tuple(_example(e) for e in raw.get("bad") or ()),
                    good=tuple(_example(e) for e in raw.get("good") or ()),
                    status=raw.get("status", "stable"), mechanical=bool(raw.get("mechanical", False)))
        pattern = regex.compile(raw["pattern"]) if raw.get("pattern") else None
    except (KeyError, ValueError, re.error) as exc:
        raise PackError(f"{where}: {exc}") from None
    return RuleSpec(rule=rule, pack=pack, kind=str(raw["kind"]), scope=scope, exceptions=_exceptions(raw),
                    terms=terms, pattern=pattern, replace=raw.get("replace"), validate=raw.get("validate"),
                    group=raw.get("group", 0), token=bool(raw.get("token", False)),
                    options=dict(raw.get("options") or {}))


def _term(raw: Any, where: str) -> Term:
    if isinstance(raw, str):
        return Term(text=raw)
    if not isinstance(raw, Mapping) or "text" not in raw:
        raise PackError(f"{where}: a term is a string or a mapping with 'text'")
    unknown = set(raw) - _TERM_KEYS
    if unknown:
        raise PackError(f"{where}: term {raw['text']!r} has unknown keys {sorted(unknown)}")
    replace = raw.get("replace", ())
    replacements = (replace,) if isinstance(replace, str) else tuple(replace)
    return Term(text=str(raw["text"]), replacements=replacements, exceptions=_exceptions(raw),
                token=bool(raw.get("token", False)), note=str(raw.get("note", "")))


@lru_cache(maxsize=1)
def _countries() -> str:
    """``{country}`` in an exception pattern: any country's short or official name (以色列农业部
    is not a Chinese ministry), longest first."""
    names = [ln.strip() for ln in (RULES_DIR / "countries.txt").read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    return "(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + ")"


def _exceptions(raw: Mapping[str, Any]) -> Exceptions:
    values: dict[str, Any] = {}
    for key in ("not_before", "not_after", "not_in_sentence", "not_in_title"):
        if raw.get(key):
            suffix = "$" if key == "not_before" else ""
            values[key] = re.compile(f"(?:{str(raw[key]).replace('{country}', _countries())}){suffix}")
    if raw.get("outside"):
        outside = tuple(raw["outside"])
        bad = [o for o in outside if o not in ENCLOSURES]
        if bad:
            raise PackError(f"unknown enclosure {bad}; expected {sorted(ENCLOSURES)}")
        values["outside"] = outside
    if raw.get("historical_year"):
        values["historical_year"] = True
    for key in ("since", "until"):
        if raw.get(key):
            value = raw[key]
            values[key] = value if isinstance(value, date) else date.fromisoformat(str(value))
    return Exceptions(**values)


def _example(raw: Any) -> Example:
    if isinstance(raw, str):
        return Example(raw)
    fields = {k: v for k, v in raw.items() if k not in {"text", "suggestion"}}
    if isinstance(fields.get("published_at"), (date, datetime)):
        fields["published_at"] = fields["published_at"].isoformat()
    return Example(raw["text"], suggestion=raw.get("suggestion"), fields=fields)


def _default_what(terms: tuple[Term, ...]) -> str:
    shown = "、".join(f"“{t.text}”" for t in terms[:3 if len(terms) > 30 else 8])
    return f"文中出现{shown}{'等' if len(terms) > 8 else ''}表述。" if terms else ""


def _default_fix(terms: tuple[Term, ...]) -> str:
    pairs = [f"“{t.text}”改为“{'”或“'.join(t.replacements)}”" for t in terms[:6] if t.replacements]
    return "；".join(pairs) + "。" if pairs else ""
