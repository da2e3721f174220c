"""Accessibility checks of an admin screen in the browser: axe-core's rules, references to
ids that do not exist, and whether every column header can be reached at a narrow width.

axe-core comes from npm into a cache outside the clone (``WRT_AXE_DIR``, by default
``~/.cache/wrt-axe``; ``.ci/run`` installs it there): ``npm install --prefix DIR axe-core@4``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

#: What fails a test: WCAG failures axe rates serious or critical.
FAILING_IMPACTS = ("serious", "critical")


def axe_dir() -> Path:
    return Path(os.environ.get("WRT_AXE_DIR") or Path.home() / ".cache" / "wrt-axe")


def axe_source() -> str:
    script = axe_dir() / "node_modules" / "axe-core" / "axe.min.js"
    if not script.is_file():
        message = (
            f"axe-core is not installed in {axe_dir()} "
            f'(npm install --prefix "{axe_dir()}" axe-core@4)'
        )
        if os.environ.get("WRT_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return script.read_text(encoding="utf-8")


def axe_violations(page: Page, exclude: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as shown, each as its rule,
    impact, help and the first offending elements; ``exclude`` skips rules by id."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    return page.evaluate(
        """async ([impacts, exclude]) => {
            const result = await window.axe.run(document, {
                runOnly: {
                    type: "tag",
                    values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
                },
                resultTypes: ["violations"],
            });
            return result.violations
                .filter(v => impacts.includes(v.impact) && !exclude.includes(v.id))
                .map(v => ({
                    rule: v.id,
                    impact: v.impact,
                    help: v.help,
                    nodes: v.nodes.slice(0, 5)
                        .map(n => n.target.join(" ") + ": " + n.failureSummary),
                }));
        }""",
        [list(FAILING_IMPACTS), list(exclude)],
    )


def missing_references(page: Page, core: tuple[str, ...] = ()) -> list[str]:
    """``aria-describedby``, ``aria-labelledby`` and ``aria-controls`` values that name no
    element of the page, but the ids in ``core`` (core's own markup's)."""
    return page.evaluate(
        """(core) => {
            const found = [];
            for (const attribute of ["aria-describedby", "aria-labelledby", "aria-controls"]) {
                for (const element of document.querySelectorAll(`main [${attribute}]`)) {
                    for (const id of element.getAttribute(attribute).split(/\\s+/)) {
                        if (id && !core.includes(id) && !document.getElementById(id)) {
                            const name = element.getAttribute("name");
                            const tag = element.tagName.toLowerCase();
                            found.push(`${tag}[name=${name}] ${attribute}=${id}`);
                        }
                    }
                }
            }
            return found;
        }""",
        list(core),
    )


def unreachable_headers(page: Page, table: str = "main table") -> list[str]:
    """Header cells of the tables that cannot be reached: right of the window (the admin's
    content area hides what overflows), unless inside a region of their own that scrolls
    sideways, can take keyboard focus and has a name."""
    return page.evaluate(
        """(selector) => {
            const width = document.documentElement.clientWidth;
            const unreachable = [];
            for (const table of document.querySelectorAll(selector)) {
                if (!table.offsetParent) continue;  // not shown
                let region = table.parentElement;
                while (region && !["auto", "scroll"].includes(getComputedStyle(region).overflowX)) {
                    region = region.parentElement;
                }
                const scrolls = region && region !== document.body
                    && region.getBoundingClientRect().right <= width + 1
                    && region.tabIndex >= 0
                    && (region.getAttribute("aria-label")
                        || region.getAttribute("aria-labelledby"));
                for (const th of table.querySelectorAll("thead th")) {
                    const right = th.getBoundingClientRect().right;
                    if (right > width + 1 && !scrolls) {
                        const label = th.textContent.trim() || "(checkbox)";
                        unreachable.push(`${label} ends at ${Math.round(right)} px`);
                    }
                }
            }
            return unreachable;
        }""",
        table,
    )


def keep_shot(page: Page, name: str) -> None:
    """A screenshot in ``WRT_A11Y_SHOTS`` (when set), to look at after the run."""
    directory = os.environ.get("WRT_A11Y_SHOTS")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)
