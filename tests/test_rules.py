"""Each shared rule at its one function (``wagtail_redirect_tools.rules``), and that the
model, the admin forms and the import planner give the rule's own message."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from wagtail_redirect_tools import rules

UTC = datetime.UTC
T = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
H = datetime.timedelta(hours=1)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((T, T + 2 * H), (T + H, T + 3 * H), True),  # partly shared
        ((T, T + 4 * H), (T + H, T + 2 * H), True),  # one inside the other
        ((T, T + H), (T + H, T + 2 * H), False),  # one ends as the next begins
        ((T + H, T + 2 * H), (T, T + H), False),  # the same, the other way round
        ((T, T + H), (T + 2 * H, T + 3 * H), False),  # apart
        ((T, T + H), (T, T + H), True),  # the same window
    ],
)
def test_windows_overlap_is_half_open(
    a: tuple[datetime.datetime, datetime.datetime],
    b: tuple[datetime.datetime, datetime.datetime],
    expected: bool,
) -> None:
    assert rules.windows_overlap(a, b) is expected
    assert rules.windows_overlap(b, a) is expected


@pytest.mark.parametrize(
    ("stored", "permanent", "has_target", "expected"),
    [
        (None, True, True, 301),  # no details: core's flag
        (None, False, True, 302),
        (308, True, True, 308),
        (307, False, True, 307),
        (308, False, True, 302),  # core made it temporary behind our back
        (307, True, True, 301),  # core made it permanent behind our back
        (410, True, False, 410),
        (410, True, True, 301),  # a target was added: no longer gone
    ],
)
def test_effective_status_code(
    stored: int | None, permanent: bool, has_target: bool, expected: int
) -> None:
    assert rules.effective_status_code(stored, permanent, has_target) == expected


def test_core_permanence_of_each_code() -> None:
    assert [
        code for code, _label in rules.REDIRECT_STATUS_CHOICES if rules.is_permanent_for_core(code)
    ] == [301, 308, 410]


def test_window_codes_are_the_temporary_ones() -> None:
    assert {302, 307} == rules.WINDOW_STATUS_CODES
    assert rules.window_status_error(302) is None
    assert rules.window_status_error(307) is None
    assert "cannot expire" in rules.window_status_error(301).message  # type: ignore[union-attr]
    assert "gone (410)" in rules.window_status_error(410).message  # type: ignore[union-attr]


def test_window_order_and_expiry() -> None:
    assert rules.window_order_error(None, T) is None
    assert rules.window_order_error(T, T + H) is None
    error = rules.window_order_error(T, T)
    assert error is not None and error.code == "expires_before_start"
    assert rules.window_expiry_error(T + H, T) is None
    error = rules.window_expiry_error(T, T)
    assert error is not None and error.code == "expires_in_past"


@pytest.mark.parametrize(
    "value", ["/spring/", "https://example.com/", "http://example.com/a?b=c", "HTTPS://x.example"]
)
def test_links_accepted(value: str) -> None:
    rules.validate_redirect_link(value)


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        "data:text/html,hi",
        "//evil.example/",
        "ftp://example.com/",
        "spring/",
        "http://[x/a",
    ],
)
def test_links_refused(value: str) -> None:
    with pytest.raises(ValidationError) as caught:
        rules.validate_redirect_link(value)
    assert caught.value.code == "invalid_link"


def test_null_bytes() -> None:
    assert rules.has_null_byte("/a\x00b")
    assert rules.has_null_byte("/a%00b")
    assert not rules.has_null_byte("/a%20b")


@pytest.mark.parametrize(
    "value",
    ["/\\evil.example", "/\t/evil.example", "/a\nb", "/a\rb", "/a\x7f", "https://a.example\\@b/"],
)
def test_backslashes_and_control_characters_refused(value: str) -> None:
    assert rules.has_unsafe_characters(value)
    with pytest.raises(ValidationError) as caught:
        rules.validate_redirect_link(value)
    assert caught.value.code == "unsafe_characters"


def test_encoded_or_printable_characters_are_not_unsafe() -> None:
    for value in ("/a%5Cb", "/a%09b", "/café/", "/a b", "/a\x00b"):  # NUL has its own rule
        assert not rules.has_unsafe_characters(value)


def test_source_error_names_each_reason() -> None:
    codes = {
        "/a%00b": "null_characters_not_allowed",
        "/a\x00b": "null_characters_not_allowed",
        "/a\nb": "unsafe_characters",
        "/a\\b": "unsafe_characters",
        "http://[x/a": "invalid_path",
        "/admin/x": "admin_path",
    }
    for value, code in codes.items():
        error = rules.source_error(value, admin="/admin/")
        assert error is not None and error.code == code, value
    for value in ("/a%0Ab", "/café", "/a%250Ab", "/a b", "/admins"):
        assert rules.source_error(value, admin="/admin/") is None, value


def test_control_characters_are_written_percent_encoded() -> None:
    assert rules.encode_control_characters("/a\x00b\x07c\x1b\x7f\t") == "/a%00b%07c%1B%7F%09"
    assert rules.encode_control_characters("/café %41") == "/café %41"
