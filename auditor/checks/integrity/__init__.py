"""TXT: text integrity. Damage that happens to text on its way to the page:
encoding loss, pinyin-annotated copies, duplicated blocks, injected site tags,
template leftovers, missing dates, empty bodies, Traditional-character copies."""
from __future__ import annotations

from auditor.checks.base import Check
from auditor.checks.integrity.damage import InlinePinyin, LostCharacters, Mojibake
from auditor.checks.integrity.document import EmptyBody, MissingPublishDate, TraditionalText
from auditor.checks.integrity.repetition import DuplicatedBlocks, InjectedSiteTag
from auditor.checks.integrity.template import TemplatePlaceholder

LABEL = "文本完整性"  # the family as editors know it (checker page groups)


def checks() -> list[Check]:
    return [Mojibake(), InlinePinyin(), LostCharacters(), DuplicatedBlocks(), InjectedSiteTag(),
            TemplatePlaceholder(), MissingPublishDate(), EmptyBody(), TraditionalText()]
