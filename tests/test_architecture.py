"""The house plan's walls: checks read the Document and what CheckContext hands them, so no
check module imports the store or ingest (not even inside a function)."""
from __future__ import annotations

import ast
from pathlib import Path

import auditor

CHECKS = Path(auditor.__file__).parent / "checks"
FORBIDDEN = ("auditor.store", "auditor.ingest")


def forbidden_imports(source: str, package: str) -> list[str]:
    """Modules under FORBIDDEN that this source imports, relative imports resolved against package."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names = [module, *(f"{module}.{alias.name}" for alias in node.names)]
        else:
            continue
        found += [n for n in names if any(n == f or n.startswith(f + ".") for f in FORBIDDEN)]
    return found


def test_the_walk_sees_every_kind_of_import():
    assert forbidden_imports("def f():\n    from auditor.store.reference import open_reader\n", "auditor.checks.x")
    assert forbidden_imports("import auditor.ingest.html\n", "auditor.checks.x")
    assert forbidden_imports("from ...ingest import load_url\n", "auditor.checks.mandatory")
    assert not forbidden_imports("from auditor.text.dates import parse_datetime\nfrom . import base\n",
                                 "auditor.checks.mandatory")


def test_no_check_module_imports_the_store_or_ingest():
    modules = sorted(CHECKS.rglob("*.py"))
    assert len(modules) > 20  # the whole tree, sub-packages included
    offending = {}
    for path in modules:
        parts = path.relative_to(CHECKS.parent.parent).with_suffix("").parts
        package = ".".join(parts if path.name == "__init__.py" else parts[:-1])
        if found := forbidden_imports(path.read_text(encoding="utf-8"), package):
            offending[str(path.relative_to(CHECKS))] = found
    assert not offending, offending
