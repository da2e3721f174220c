"""The redirect map in web servers' and CDNs' own formats (nginx, Apache, Netlify,
Cloudflare, Next.js), so they can answer redirects without reaching Django.

:func:`entries.build_map` reads what each path of a site gets now, through the
resolution code's own rules (read in bulk, :mod:`.bulk`); each format module writes it,
leaving out (and listing) what the format cannot say exactly.
"""

from __future__ import annotations

from . import apache, cloudflare, netlify, nextjs, nginx
from .base import EdgeFormat, Output, next_change_text
from .entries import EdgeMap, Entry, Omission, build_map

EDGE_FORMATS: dict[str, EdgeFormat] = {
    edge_format.name: edge_format
    for edge_format in (
        EdgeFormat(
            name="nginx",
            filename="nginx-redirects.conf",
            content_type="text/plain",
            render=nginx.render,
        ),
        EdgeFormat(
            name="apache",
            filename="apache-redirects.conf",
            content_type="text/plain",
            render=apache.render,
        ),
        EdgeFormat(
            name="netlify", filename="_redirects", content_type="text/plain", render=netlify.render
        ),
        EdgeFormat(
            name="cloudflare",
            filename="cloudflare-bulk-redirects.csv",
            content_type="text/csv",
            render=cloudflare.render,
        ),
        EdgeFormat(
            name="nextjs",
            filename="nextjs-redirects.json",
            content_type="application/json",
            render=nextjs.render,
        ),
    )
}
# Formats that name the host in each line, so one file can hold several sites.
MULTI_SITE_FORMATS = ("cloudflare",)

__all__ = [
    "EDGE_FORMATS",
    "MULTI_SITE_FORMATS",
    "EdgeFormat",
    "EdgeMap",
    "Entry",
    "Omission",
    "Output",
    "build_map",
    "next_change_text",
]
