"""Sphinx configuration for the wagtail-redirect-tools documentation (furo + MyST)."""

project = "wagtail-redirect-tools"
author = "wagtail-redirect-tools developers"
copyright = "wagtail-redirect-tools developers"

extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]

# Headings up to level 3 get anchors, so [text](page.md#a-heading) is checked at build
# time: a link to a missing page or anchor is a warning, and CI builds with -W.
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence", "deflist"]
# Every cross-reference must resolve.
nitpicky = True

html_theme = "furo"
html_title = "wagtail-redirect-tools"
html_static_path = ["_static"]
