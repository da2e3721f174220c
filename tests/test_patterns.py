"""The pattern notation (``wagtail_redirect_tools.patterns``): parsing, matching, filling a
target, and the shared rule (``rules.pattern_error``). Pure functions: no database."""

from __future__ import annotations

import pytest

from wagtail_redirect_tools import rules
from wagtail_redirect_tools.patterns import (
    PatternError,
    check_target,
    examples,
    fill,
    is_pattern_source,
    parse,
    placeholders_in,
)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("old-section/*", "must start with a slash"),
        ("/old/*?page=1", "query string"),
        ("/old/*#top", "query string"),
        ("/old//*", "empty segment"),
        ("/old/*/more", "only be the last segment"),
        ("/old*", "only be the last segment"),
        ("/news/:1year", "is not a placeholder"),
        ("/news/:", "is not a placeholder"),
        ("/news/:slug/:slug", "appears twice"),
        ("/news/:splat", ":splat is the rest"),
        ("/news/2019", "exact path"),
        ("/", "exact path"),
    ],
)
def test_parse_refuses_with_a_reason(source: str, message: str) -> None:
    with pytest.raises(PatternError, match=message):
        parse(source)


def test_parse() -> None:
    prefix = parse("/old-section/*")
    assert (prefix.segments, prefix.splat, prefix.is_prefix) == (("old-section",), True, True)
    assert prefix.literal_prefix == "/old-section"
    named = parse("/news/:year/:slug/")
    assert named.segments == ("news", ":year", ":slug")
    assert named.names == ("year", "slug")
    assert not named.is_prefix
    assert named.literal_prefix == "/news"
    both = parse("/shop/:category/*")
    assert both.names == ("category", "splat")
    assert parse("/*").segments == ()


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/old-section", {"splat": ""}),
        ("/old-section/", {"splat": ""}),
        ("/old-section/some/page", {"splat": "some/page"}),
        ("/old-section/some/page/", {"splat": "some/page/"}),
        ("/old-sectionx", None),
        ("/old-sectionx/page", None),
        ("/Old-Section/page", None),  # case matters, as for exact redirects
        ("/other/old-section/page", None),
        ("old-section/page", None),
    ],
)
def test_match_a_prefix(path: str, expected: dict[str, str] | None) -> None:
    assert parse("/old-section/*").match(path) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/news/2019/hello", {"year": "2019", "slug": "hello"}),
        ("/news/2019/hello/", {"year": "2019", "slug": "hello"}),  # trailing slash optional
        ("/news/2019", None),
        ("/news/2019/", None),
        ("/news//hello", None),  # an empty segment is no value
        ("/news/2019/hello/more", None),
        ("/news/2019/hello//", None),
    ],
)
def test_match_named_segments(path: str, expected: dict[str, str] | None) -> None:
    assert parse("/news/:year/:slug").match(path) == expected


def test_match_everything() -> None:
    assert parse("/*").match("/") == {"splat": ""}
    assert parse("/*").match("/any/path") == {"splat": "any/path"}
    assert parse("/shop/:category/*").match("/shop/shoes") == {"category": "shoes", "splat": ""}
    assert parse("/shop/:category/*").match("/shop/shoes/red/42") == {
        "category": "shoes",
        "splat": "red/42",
    }


def test_fill() -> None:
    assert fill("/new-section/:splat", {"splat": "some/page"}) == "/new-section/some/page"
    assert fill("https://newsite.com/:splat", {"splat": "a/b"}) == "https://newsite.com/a/b"
    assert fill("/blog/:slug?from=:year", {"year": "2019", "slug": "hi"}) == "/blog/hi?from=2019"
    # A value is encoded for its place; a segment's value never adds a segment.
    assert fill("/blog/:slug", {"slug": "café"}) == "/blog/caf%C3%A9"
    assert fill("/blog/:slug", {"slug": "a&b=c"}) == "/blog/a%26b%3Dc"
    # What the request had encoded already is not encoded twice.
    assert fill("/new/:splat", {"splat": "a%20b/c%3Fd"}) == "/new/a%20b/c%3Fd"
    # A placeholder the source does not define stays as written.
    assert fill("/wiki/Special:Search", {"splat": "x"}) == "/wiki/Special:Search"


def test_an_empty_splat_leaves_no_double_slash() -> None:
    assert fill("/new-section/:splat", {"splat": ""}) == "/new-section/"
    assert fill("https://newsite.com/:splat", {"splat": ""}) == "https://newsite.com/"


def test_a_relative_target_never_becomes_protocol_relative() -> None:
    captured = parse("/old/*").match("/old//evil.com")
    assert captured == {"splat": "/evil.com"}
    assert fill("/:splat", captured) == "/evil.com"
    assert fill("/:splat", {"splat": "/\\evil.com"}) == "/%5Cevil.com"
    assert fill("/new/:splat", {"splat": "//evil.com/x"}) == "/new/evil.com/x"


def test_a_protocol_relative_target_keeps_its_host() -> None:
    assert fill("//cdn.example.com/:splat", {"splat": "a"}) == "//cdn.example.com/a"


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("https://:splat/", "not in its host name"),
        ("https://:slug.example.com/", "not in its host name"),
        ("https://example.com:splat/", "not in its host name"),
        ("//:splat/x", "not in its host name"),
        (":splat", "must be a path"),
        ("new/:splat", "must be a path"),
        ("/blog/:title", "does not define"),
        ("/blog/:slugs", "does not define"),
        ("/news/:year/:slug/more/:splat", "lies under the pattern itself"),
    ],
)
def test_check_target_refuses(target: str, message: str) -> None:
    with pytest.raises(PatternError, match=message):
        check_target(parse("/news/:year/:slug/*"), target)


@pytest.mark.parametrize(
    "target",
    [
        "/blog/:slug",
        "/blog/:year/:slug/:splat",
        "https://newsite.com/:splat",
        "https://newsite.com:8080/:slug?y=:year",
        "/fixed-page/",
        "/news/:year/:slug",  # the same length: a live page there, or a loop caught
        "https://example.com/news/:year/:slug/more/:splat",  # another host
    ],
)
def test_check_target_accepts(target: str) -> None:
    check_target(parse("/news/:year/:slug/*"), target)


def test_placeholders_in_the_path_and_query_only() -> None:
    assert placeholders_in("https://example.com:8080/:slug?y=:year") == ["slug", "year"]


def test_is_pattern_source() -> None:
    assert is_pattern_source("/old/*")
    assert is_pattern_source("/news/:slug")
    assert not is_pattern_source("/old-page")
    assert not is_pattern_source("/old*")
    assert not is_pattern_source("/time/10:30")


@pytest.mark.parametrize("source", ["/old-section/*", "/news/:year/:slug", "/shop/:c/*", "/*"])
def test_examples_are_matched(source: str) -> None:
    pattern = parse(source)
    found = examples(pattern)
    assert len(found) == 3
    assert len(set(found)) == 3
    assert all(pattern.match(path) is not None for path in found)


def test_pattern_error_is_the_shared_rule() -> None:
    assert rules.pattern_error("/old/*", "/new/:splat") is None
    assert rules.pattern_error("/old/*", "") is None  # a page target or a 410
    error = rules.pattern_error("/old/*", "/new/:slug")
    assert error is not None
    assert error.code == "invalid_pattern"
    assert "does not define" in error.messages[0]
    refused = rules.pattern_error("/old/*/x", "/new/")
    assert refused is not None
    assert "last segment" in refused.messages[0]


def test_a_prefix_leading_under_itself_is_refused() -> None:
    with pytest.raises(PatternError, match="lies under the pattern itself"):
        check_target(parse("/old/*"), "/old/new/:splat")
    check_target(parse("/old/*"), "/old-new/:splat")
    check_target(parse("/old/*"), "/old/")  # everything to the section's start: no chain
