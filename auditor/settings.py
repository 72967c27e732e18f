"""Settings: built-in defaults, overlaid by an ``auditor.toml`` file, plus one
per-organisation profile chosen by name. The result is one typed, frozen object.

Example ``auditor.toml``::

    [fetch]
    timeout = 20
    allow_private = false

    [attachments]
    max_per_page = 10
    masked_dir = "/srv/auditor/masked"

    [checks]
    ignore = ["TXT007"]

    [profiles.pinggu]
    organisation = "北京市平谷区人民政府"
    allow_terms = ["平谷", "金海湖"]
    [profiles.pinggu.thresholds]
    originality_min = 0.5
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Mapping


class SettingsError(ValueError):
    """A configuration file or value is wrong; the message names the key."""


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = 15.0  # seconds for connect and for each read
    max_bytes: int = 20 * 1024 * 1024  # response bodies larger than this are refused
    max_redirects: int = 5
    allow_private: bool = False  # permit loopback/private/link-local targets (tests, intranets)
    user_agent: str = "auditor/0.1 (+government content quality checks)"


@dataclass(frozen=True)
class AttachmentOptions:
    """Files a page links to (公示名单, 通知): how many are fetched and how large they may be."""

    max_per_page: int = 10  # attachments fetched per page, in link order
    max_file_bytes: int = 20 * 1024 * 1024  # one attachment
    max_page_bytes: int = 50 * 1024 * 1024  # all attachments of one page together
    # Batch runs keep a masked copy of each leaking .xlsx/.docx here; "" = a folder "masked"
    # beside a SQLite store (a PostgreSQL store needs this set, else no copies are kept).
    masked_dir: str = ""


@dataclass(frozen=True)
class CheckOptions:
    select: tuple[str, ...] = ()  # codes or family prefixes; empty = all
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReviewOptions:
    workflow: str = ""  # path to a workflow YAML; empty = the default 三审三校 workflow
    secret_key: str = ""  # web session signing key; empty = generated once and kept in the data directory


@dataclass(frozen=True)
class Thresholds:
    min_body_chars: int = 50  # a body shorter than this is "near-empty"
    duplicate_min_chars: int = 30  # paragraphs shorter than this may repeat legitimately
    traditional_ratio: float = 0.2  # share of Traditional-only characters that flags a text
    originality_min: float | None = None  # per-account; no national figure exists
    originality_rule: str = ""  # the local rule that imposes originality_min, quoted in reports
    repost_share: float = 0.7  # share of a text found in one reference that makes it a repost
    partial_reuse_min: float = 0.1  # share reused below which a text counts as original


@dataclass(frozen=True)
class Profile:
    """What one organisation adds: local names and terms that are never errors, thresholds."""

    name: str = "default"
    organisation: str = ""
    allow_terms: tuple[str, ...] = ()
    thresholds: Thresholds = field(default_factory=Thresholds)


@dataclass(frozen=True)
class Settings:
    fetch: FetchOptions = field(default_factory=FetchOptions)
    attachments: AttachmentOptions = field(default_factory=AttachmentOptions)
    checks: CheckOptions = field(default_factory=CheckOptions)
    profile: Profile = field(default_factory=Profile)
    review: ReviewOptions = field(default_factory=ReviewOptions)
    db_url: str | None = None

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None, profile: str | None = None) -> "Settings":
        """Defaults, then the file (explicit path, else $AUDITOR_CONFIG, else ./auditor.toml
        if present), then the named profile from that file."""
        if path is None:
            env = os.environ.get("AUDITOR_CONFIG")
            path = env if env else ("auditor.toml" if Path("auditor.toml").is_file() else None)
        data: dict[str, Any] = {}
        if path is not None:
            p = Path(path)
            try:
                data = tomllib.loads(p.read_text(encoding="utf-8"))
            except FileNotFoundError:
                raise SettingsError(f"配置文件不存在: {p}") from None
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise SettingsError(f"配置文件 {p} 格式错误: {exc}") from None
        return cls.from_mapping(data, profile=profile, origin=str(path) if path else "<defaults>")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, profile: str | None = None,
                     origin: str = "<mapping>") -> "Settings":
        allowed = {"fetch", "attachments", "checks", "profiles", "review", "db_url"}
        _no_unknown(data, allowed, origin)
        fetch = _build(FetchOptions, data.get("fetch", {}), f"{origin}: [fetch]")
        attachments = _build(AttachmentOptions, data.get("attachments", {}), f"{origin}: [attachments]")
        checks = _build(CheckOptions, data.get("checks", {}), f"{origin}: [checks]")
        review = _build(ReviewOptions, data.get("review", {}), f"{origin}: [review]")
        prof = Profile()
        profiles = data.get("profiles", {})
        if not isinstance(profiles, Mapping):
            raise SettingsError(f"{origin}: [profiles] must be a table")
        if profile is not None:
            if profile not in profiles:
                known = ", ".join(sorted(profiles)) or "无"
                raise SettingsError(f"{origin}: 未定义的机构配置 profile {profile!r}（已定义: {known}）")
            raw = dict(profiles[profile])
            thresholds = _build(Thresholds, raw.pop("thresholds", {}), f"{origin}: [profiles.{profile}.thresholds]")
            prof = _build(Profile, raw, f"{origin}: [profiles.{profile}]")
            prof = replace(prof, name=profile, thresholds=thresholds)
        db_url = data.get("db_url")
        if db_url is not None and not isinstance(db_url, str):
            raise SettingsError(f"{origin}: db_url must be a string")
        return cls(fetch=fetch, attachments=attachments, checks=checks, profile=prof, review=review, db_url=db_url)

    def with_overrides(self, **changes: Any) -> "Settings":
        """Command-line overrides: keys like ``fetch.allow_private`` or ``checks.select``."""
        result = self
        for key, value in changes.items():
            if value is None:
                continue
            section, _, attr = key.partition(".")
            if not attr:
                result = replace(result, **{section: value})
                continue
            sub = getattr(result, section)
            result = replace(result, **{section: replace(sub, **{attr: value})})
        return result


def _no_unknown(data: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise SettingsError(f"{where}: 未知配置项 {', '.join(unknown)}（允许: {', '.join(sorted(allowed))}）")


def _build(cls: type, raw: Any, where: str) -> Any:
    if not isinstance(raw, Mapping):
        raise SettingsError(f"{where} must be a table")
    spec = {f.name: f for f in fields(cls)}
    _no_unknown(raw, set(spec) - {"thresholds", "name"}, where)
    defaults = cls()
    values: dict[str, Any] = {}
    for key, value in raw.items():
        expected = type(getattr(defaults, key))
        if isinstance(getattr(defaults, key), tuple):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise SettingsError(f"{where}.{key} 应为字符串列表，实际为 {value!r}")
            value = tuple(value)
        elif getattr(defaults, key) is None:
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise SettingsError(f"{where}.{key} 应为数字，实际为 {value!r}")
            value = float(value)
        elif expected is bool:
            if not isinstance(value, bool):
                raise SettingsError(f"{where}.{key} 应为 true/false，实际为 {value!r}")
        elif expected in (int, float):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise SettingsError(f"{where}.{key} 应为非负数，实际为 {value!r}")
            value = expected(value)
        elif expected is str and not isinstance(value, str):
            raise SettingsError(f"{where}.{key} 应为字符串，实际为 {value!r}")
        values[key] = value
    return replace(defaults, **values)
