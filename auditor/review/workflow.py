"""The 三审三校 workflow definition: stages with roles, and who may waive and publish.
Loaded from YAML; a default ships beside this file."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT_WORKFLOW = Path(__file__).with_name("default_workflow.yaml")


class WorkflowError(ValueError):
    pass


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    kind: str  # review (审) | proofread (校)
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Workflow:
    name: str
    stages: tuple[Stage, ...]
    waive_roles: tuple[str, ...]
    secrecy_roles: tuple[str, ...]
    secrecy_codes: tuple[str, ...]
    secrecy_names: tuple[str, ...]
    blocking_severities: tuple[str, ...]
    publish_roles: tuple[str, ...]
    restart_on_edit: str

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Workflow":
        p = Path(path) if path else DEFAULT_WORKFLOW
        try:
            data = yaml.safe_load(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise WorkflowError(f"流程配置文件不存在: {p}") from None
        except yaml.YAMLError as exc:
            raise WorkflowError(f"流程配置文件 {p} 格式错误: {exc}") from None
        if not isinstance(data, dict):
            raise WorkflowError(f"流程配置文件 {p} 应为 YAML 映射")
        try:
            stages = tuple(Stage(key=str(s["key"]), label=str(s["label"]), kind=str(s["kind"]),
                                 roles=tuple(s["roles"])) for s in data["stages"])
            workflow = cls(name=str(data.get("name", p.stem)), stages=stages,
                           waive_roles=tuple(data.get("waive_roles", ())),
                           secrecy_roles=tuple(data.get("secrecy_roles", ())),
                           secrecy_codes=tuple(data.get("secrecy_codes", ("PII",))),
                           secrecy_names=tuple(data.get("secrecy_names", ("classified",))),
                           blocking_severities=tuple(data.get("blocking_severities", ("blocker",))),
                           publish_roles=tuple(data.get("publish_roles", ())),
                           restart_on_edit=str(data.get("restart_on_edit", "first")))
        except (KeyError, TypeError) as exc:
            raise WorkflowError(f"流程配置文件 {p} 缺少或错误的字段: {exc}") from None
        workflow.validate(p)
        return workflow

    def validate(self, origin: object = "<workflow>") -> None:
        keys = [s.key for s in self.stages]
        if not self.stages:
            raise WorkflowError(f"{origin}: 至少需要一个环节")
        if len(set(keys)) != len(keys):
            raise WorkflowError(f"{origin}: 环节 key 重复")
        for s in self.stages:
            if s.kind not in ("review", "proofread"):
                raise WorkflowError(f"{origin}: 环节 {s.key} 的 kind 应为 review 或 proofread")
            if not s.roles:
                raise WorkflowError(f"{origin}: 环节 {s.key} 未指定角色")
        if self.restart_on_edit != "first" and self.restart_on_edit not in keys:
            raise WorkflowError(f"{origin}: restart_on_edit 应为 first 或某个环节的 key")

    def stage(self, key: str) -> Stage:
        for s in self.stages:
            if s.key == key:
                return s
        raise WorkflowError(f"未知环节 {key}（可用: {', '.join(s.key for s in self.stages)}）")

    def index(self, key: str) -> int:
        return [s.key for s in self.stages].index(key)

    def restart_index(self, current: str) -> int:
        """Where the flow resumes after a content change."""
        if self.restart_on_edit == "first":
            return 0
        return min(self.index(self.restart_on_edit), self.index(current))

    def needs_secrecy(self, code: str, name: str) -> bool:
        return code.startswith(self.secrecy_codes) or any(word in name for word in self.secrecy_names)

    @property
    def roles(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for s in self.stages:
            seen.update(dict.fromkeys(s.roles))
        for r in (*self.waive_roles, *self.secrecy_roles, *self.publish_roles):
            seen[r] = None
        return tuple(seen)
