"""WRD: non-standard wording (不规范表述) and serious misstatements (严重表述错误).

Rules are data: YAML packs in ``corpora/rules/`` (one per theme), each rule with its
source, severity, message, suggestions and examples. The kinds below are the only code:
one check per (pack, kind), so a pack's literal terms share one automaton."""
from __future__ import annotations

from itertools import groupby

from auditor.checks.base import Check
from auditor.checks.wording.engine import OrderingCheck, PackCheck, PairingCheck, PatternCheck, TermCheck
from auditor.checks.wording.knowledge import (DivisionHierarchyCheck, LeaderNameCheck, LeaderTitleCheck,
                                              RenamedDivisionCheck)
from auditor.checks.wording.packs import PackError, load_packs

LABEL = "规范表述"  # the family as editors know it (checker page groups)

KINDS: dict[str, type[PackCheck]] = {
    "substitution": TermCheck,
    "existence": TermCheck,
    "pattern": PatternCheck,
    "pairing": PairingCheck,
    "ordering": OrderingCheck,
    "leader-name": LeaderNameCheck,
    "leader-title": LeaderTitleCheck,
    "division-rename": RenamedDivisionCheck,
    "division-hierarchy": DivisionHierarchyCheck,
}


def checks() -> list[Check]:
    def group(spec):
        return spec.pack, KINDS[spec.kind].__name__

    specs = load_packs()
    unknown = sorted({s.kind for s in specs} - set(KINDS))
    if unknown:
        raise PackError(f"unknown rule kinds {unknown}; known: {sorted(KINDS)}")
    ordered = sorted(specs, key=group)
    return [KINDS[members[0].kind](members) for _, grouped in groupby(ordered, key=group)
            for members in [list(grouped)]]
