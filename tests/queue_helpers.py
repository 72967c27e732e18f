"""Shared set-up for review-queue tests: staff, drafts, a test workflow."""
from __future__ import annotations

from dataclasses import replace

from auditor.review import ReviewService, Workflow
from auditor.store import open_store
from auditor.types import Document

CLEAN = ("各乡镇人民政府，县直各单位：\n为进一步做好政务公开工作，县政府办公室组织开展了第二季度政府网站检查，"
         "现将有关情况通报如下。各单位要高度重视，认真整改。")
# TXT007 (error) is made blocking by the test workflow, so drafts can carry a blocking finding.
WITH_PLACEHOLDER = CLEAN.replace("县政府办公室", "XX县政府办公室")

STAFF = {
    "author": ["编辑"], "proof_a": ["校对员"], "proof_b": ["校对员"], "proof_c": ["校对员"],
    "editor": ["责任编辑"], "chief": ["科室负责人"], "leader": ["分管领导"], "secrecy": ["保密审查员"],
    "multi": ["校对员", "责任编辑", "科室负责人"], "boss": ["主要领导"],
}
PATH = [("proof1", "proof_a"), ("review1", "editor"), ("proof2", "proof_b"), ("review2", "chief"),
        ("proof3", "proof_c"), ("review3", "leader")]


def workflow_for_tests(**changes) -> Workflow:
    base = Workflow.load()
    return replace(base, blocking_severities=("blocker", "error"), secrecy_codes=("TXT007",), **changes)


def make_service(url: str, **changes) -> ReviewService:
    service = ReviewService(open_store(url), workflow_for_tests(**changes))
    for name, roles in STAFF.items():
        service.add_user(name, name, roles, password=f"{name}-pw")
    return service


def doc(text: str = CLEAN, title: str = "关于第二季度政府网站检查情况的通报") -> Document:
    return Document(text=text, title=title, provenance={"kind": "draft"})


def walk(service: ReviewService, item: int, steps=PATH) -> None:
    for stage, user in steps:
        service.sign(user, item, stage=stage)


