"""The admin's choice of an edge export: which format, for which site."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from ...edge import EDGE_FORMATS
from ...edge.export import sites_for
from .errors import DescribedFieldsMixin

FORMAT_LABELS = {
    "nginx": _("nginx (map and return)"),
    "apache": _("Apache (mod_alias RedirectMatch lines)"),
    "netlify": _("Netlify (_redirects)"),
    "cloudflare": _("Cloudflare Bulk Redirects (CSV, every site)"),
    "nextjs": _("Next.js (redirects() JSON)"),
}


class EdgeExportForm(DescribedFieldsMixin, forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[(name, FORMAT_LABELS.get(name, name)) for name in EDGE_FORMATS],
    )
    site = forms.ModelChoiceField(
        label=_("Site"),
        queryset=Site.objects.order_by("hostname", "port"),
        required=False,
        empty_label=_("Every site (Cloudflare only, or when there is one)"),
        help_text=_("A server answers for one site: its redirects and the all-sites ones."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        file_format = cleaned.get("format")
        if file_format:
            try:
                cleaned["sites"] = sites_for(cleaned.get("site"), file_format)
            except ValueError as error:
                self.add_error("site", str(error))
        return cleaned
