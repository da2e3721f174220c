"""Whether a user agent is probably a bot: a short list of substrings, nothing stored."""

from __future__ import annotations

# Lower case. Crawlers name themselves ("Googlebot", "bingbot", "AhrefsBot", "YandexBot"),
# and so do most scripted clients.
BOT_MARKERS = (
    "bot",
    "crawl",
    "spider",
    "slurp",
    "curl/",
    "wget/",
    "python-requests",
    "python-urllib",
    "go-http-client",
    "headlesschrome",
    "httpclient",
    "scanner",
)


def is_bot(user_agent: str) -> bool:
    """True for a known bot's user agent, and for none at all (browsers always send one)."""
    agent = user_agent.lower()
    return not agent or any(marker in agent for marker in BOT_MARKERS)
