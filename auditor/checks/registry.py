"""The check registry. A family is a sub-package of ``auditor.checks`` whose
``__init__`` defines ``checks() -> list[Check]`` (and ``LABEL``, its name for editors);
adding a folder registers it."""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from typing import Iterable

from auditor.checks.base import Check, Rule


class UnknownCodeError(ValueError):
    pass


@lru_cache(maxsize=1)
def _families() -> tuple[str, ...]:
    import auditor.checks as pkg

    return tuple(sorted(m.name for m in pkgutil.iter_modules(pkg.__path__) if m.ispkg))


def discover_checks() -> list[Check]:
    """Fresh check instances of every family (each Auditor owns its own)."""
    checks: list[Check] = []
    for family in _families():
        module = importlib.import_module(f"auditor.checks.{family}")
        factory = getattr(module, "checks", None)
        if factory is None:
            raise RuntimeError(f"auditor.checks.{family} does not define checks()")
        checks.extend(factory())
    _validate(checks)
    return checks


@lru_cache(maxsize=1)
def family_labels() -> dict[str, str]:
    """Code prefix (TXT, TYP, ...) -> the family's LABEL, as editors know it."""
    labels: dict[str, str] = {}
    for family in _families():
        module = importlib.import_module(f"auditor.checks.{family}")
        for check in module.checks():
            for rule in check.rules:
                labels[rule.family] = getattr(module, "LABEL", rule.family)
    return labels


@lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    rules = [r for c in discover_checks() for r in c.rules]
    return tuple(sorted(rules, key=lambda r: r.code))


def get_rule(code: str) -> Rule:
    code = code.strip().upper()
    for rule in all_rules():
        if rule.code == code:
            return rule
    raise UnknownCodeError(f"未知规则代码 {code}")


def matches(code: str, selectors: Iterable[str]) -> bool:
    """True when ``code`` equals a selector or starts with it (family prefix like 'TXT' or 'WRD0')."""
    return any(code.startswith(s.strip().upper()) for s in selectors if s.strip())


def check_selectors(selectors: Iterable[str]) -> None:
    """Reject selectors that match no rule, naming them (a typo would silently select nothing)."""
    codes = [r.code for r in all_rules()]
    bad = [s for s in selectors if s.strip() and not any(c.startswith(s.strip().upper()) for c in codes)]
    if bad:
        raise UnknownCodeError(f"未知规则代码或前缀: {', '.join(bad)}（运行 `auditor rules` 查看全部规则）")


def _validate(checks: list[Check]) -> None:
    seen: dict[str, Rule] = {}
    names: dict[str, str] = {}
    for check in checks:
        for rule in check.rules:
            if rule.code in seen:
                raise RuntimeError(f"rule code {rule.code} is registered twice")
            if rule.name in names:
                raise RuntimeError(f"rule name {rule.name} is used by {names[rule.name]} and {rule.code}")
            seen[rule.code] = rule
            names[rule.name] = rule.code
