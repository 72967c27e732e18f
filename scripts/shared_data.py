"""Where the scripts find the shared data sets (not shipped with the repository): ``--data DIR``
on the command line, else ``$AUDITOR_SHARED_DATA``, else ``../shared/data`` beside the repository.

``DATA`` is settled when a script is imported, because the scripts build their paths at module
level and import one another's (report_drafts and train_typos read eval_typos); the option is
peeked from the command line only when a script of this folder is the program, never under
pytest. ``add_data_option`` puts the same option in a script's own parser, for ``--help``."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
DEFAULT = SCRIPTS.parent.parent / "shared" / "data"
HELP = "the shared data folder (default: $AUDITOR_SHARED_DATA, else ../shared/data beside the repository)"


def _from_command_line() -> Path | None:
    if not sys.argv or Path(sys.argv[0]).resolve().parent != SCRIPTS:
        return None
    peek = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    peek.add_argument("--data", type=Path)
    return peek.parse_known_args()[0].data


DATA = _from_command_line() or Path(os.environ.get("AUDITOR_SHARED_DATA") or DEFAULT)


def add_data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=DATA, help=HELP)
