"""How the package's forms tie each field to its help text and its error, for screen readers
(issue 32, Accessibility item 4): ``aria-describedby`` names the ids the templates render
(Wagtail's ``<id>-helptext`` and our ``<id>-errors``; Django's own ``<id>_helptext`` and
``<id>_error`` are not rendered by Wagtail's field template), and ``aria-invalid`` marks a
field with an error (Django's rendering adds it).

Templates render the error with ``{% formattedfield field error_message_id=... %}`` (see
``error_id``) and the summary with ``wagtail_redirect_tools/shared/error_summary.html``.
"""

from __future__ import annotations

from typing import Any

from django import forms

ERRORS_SUFFIX = "-errors"
HELP_SUFFIX = "-helptext"  # Wagtail's (wagtailadmin/shared/formatted_field.html)


def error_id(bound_field: forms.BoundField) -> str:
    return f"{bound_field.id_for_label}{ERRORS_SUFFIX}"


class DescribedBoundField(forms.BoundField):
    """Described, when rendered, by the help text and the error the field has then."""

    def build_widget_attrs(self, attrs: dict[str, Any], widget: Any = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        if (widget or self.field.widget).is_hidden or not self.id_for_label:
            return attrs
        ids = [f"{self.id_for_label}{HELP_SUFFIX}"] if self.help_text else []
        if self.errors:
            ids.append(error_id(self))
        if ids:
            attrs["aria-describedby"] = " ".join(ids)
        else:
            attrs.pop("aria-describedby", None)
        return attrs


class DescribedFieldsMixin:
    """For a form: each field described by its help text and its error."""

    bound_field_class: type[forms.BoundField] | None = DescribedBoundField
