"""Renderers: one Report, many formats."""
from auditor.report.render import FORMATS, render

__all__ = ["FORMATS", "render"]
