"""Derive the small tables the WRD family ships from the shared datasets (run once when they change).

- corpora/divisions/prefectures.tsv: province-level unit <TAB> prefecture-level unit (and the
  county-level units a province governs directly, and the province itself), from 国家统计局 2023年统计用区划代码.
- corpora/divisions/renames.tsv: date <TAB> old full name <TAB> new full name <TAB> parent, from
  jionlp's china_location_change.txt (generic names such as 城区/郊区/矿区 and renames that kept the
  name are left out: they cannot be told apart from ordinary words).
- corpora/leaders/shape_confusion.tsv: characters of the roster's names <TAB> characters of similar
  shape, from pycorrector's same_stroke.txt.

Usage: python scripts/build_wording_tables.py [--data ../shared/data]
"""
from __future__ import annotations

import argparse
import csv
from pathlib import Path

from shared_data import add_data_option

import yaml

ROOT = Path(__file__).resolve().parent.parent
GENERIC = {"城区", "郊区", "矿区", "南郊区", "桥东区", "桥西区", "西沙群岛", "南沙群岛"}
# Misspelt new names in the source list (民政部 行政区划 records): 玉环市, 云冈区, 大箐山县.
CORRECTED = {"玉环区": "玉环市", "云岗区": "云冈区", "大菁山县": "大箐山县"}


def prefectures(stats: Path) -> list[tuple[str, str]]:
    provinces = {r["code"]: r["name"] for r in csv.DictReader((stats / "provinces.csv").open(encoding="utf-8"))}
    rows = [(name, name) for name in provinces.values()]  # a province-level unit is in itself
    for r in csv.DictReader((stats / "cities.csv").open(encoding="utf-8")):
        if r["name"] not in {"市辖区", "县"} and not r["name"].endswith("直辖县级行政区划"):
            rows.append((provinces[r["provinceCode"]], r["name"]))
    for r in csv.DictReader((stats / "areas.csv").open(encoding="utf-8")):
        if r["cityCode"][2:] == "90":  # county-level units governed by the province directly
            rows.append((provinces[r["provinceCode"]], r["name"]))
    return rows


def renames(change: Path) -> list[tuple[str, str, str, str]]:
    rows, seen = [], set()
    for line in change.read_text(encoding="utf-8").splitlines():
        if "=>" not in line:
            continue
        left, right = line.split("=>")
        old_parts, new_parts = left.split("\t"), right.split("\t")
        day, old_full, new_full = old_parts[0], old_parts[-2], new_parts[-1]
        if old_full in GENERIC or old_full == new_full or old_full in seen:
            continue
        seen.add(old_full)
        rows.append((day, old_full, CORRECTED.get(new_full, new_full), "".join(new_parts[:-1])))
    return rows


def shape_confusion(same_stroke: Path, roster: Path) -> list[tuple[str, str]]:
    names = {p["name"] for p in yaml.safe_load(roster.read_text(encoding="utf-8"))["leaders"]}
    chars = {c for n in names for c in n}
    similar: dict[str, set[str]] = {c: set() for c in chars}
    for line in same_stroke.read_text(encoding="utf-8").splitlines():
        group = [c for c in line.split("\t") if len(c) == 1]
        for c in group:
            if c in similar:
                similar[c].update(g for g in group if g != c)
    return [(c, "".join(sorted(s))) for c, s in sorted(similar.items()) if s]


def write(path: Path, rows) -> None:
    path.write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    print(f"{path.relative_to(ROOT)}: {len(rows)} rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_option(parser)
    data = parser.parse_args().data
    write(ROOT / "corpora/divisions/prefectures.tsv", prefectures(data / "divisions/stats_2023"))
    write(ROOT / "corpora/divisions/renames.tsv", renames(data / "lexicons/jionlp/china_location_change.txt"))
    write(ROOT / "corpora/leaders/shape_confusion.tsv",
          shape_confusion(data / "lexicons/pycorrector_data/same_stroke.txt", ROOT / "corpora/leaders/roster.yaml"))


if __name__ == "__main__":
    main()
