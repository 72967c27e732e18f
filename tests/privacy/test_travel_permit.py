import pytest

CASES = [
    ("往来港澳通行证C12345678", ["C12345678"]),
    ("港澳通行证号：CA1234567", ["CA1234567"]),
    ("回乡证H1234567801", ["H1234567801"]),
    ("来往内地通行证M1234567802", ["M1234567802"]),
    ("设备C12345678", []),
    ("通行证CI1234567", []),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_travel_permit(find, text, expected):
    assert [t for t, _ in find(text, "travel_permit")] == expected
