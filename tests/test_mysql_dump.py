"""scripts/mysql_dump.py: INSERT rows read without a server, MySQL's string quoting included."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from mysql_dump import insert_rows  # noqa: E402


def test_rows_of_several_statements_with_escapes_doubled_quotes_and_null():
    sql = ("insert into t (id, a, b) values (1, 'it''s', null), (2, 'a\\\\b \\'q\\' \\n', '（科技\\\\知识产权）');\n"
           "INSERT INTO `t` (`id`, `a`, `b`) VALUES (3, '<td onclick=\"x()\">,)</td>', 1.5);")
    rows = [row for _table, row in insert_rows(sql)]
    assert rows == [
        {"id": 1, "a": "it's", "b": None},
        {"id": 2, "a": "a\\b 'q' \n", "b": "（科技\\知识产权）"},
        {"id": 3, "a": '<td onclick="x()">,)</td>', "b": 1.5},
    ]


def test_a_row_of_the_wrong_width_is_refused():
    with pytest.raises(ValueError, match="2 values for 3 columns"):
        list(insert_rows("insert into t (a, b, c) values (1, 'x');"))
