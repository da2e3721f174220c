"""The form of the import's "Match the columns" step: a choice per column of the file,
and whether its first row is a header. It only lays out a proposal of
:mod:`wagtail_redirect_tools.importing.matching`; the mapping's rules are
``ColumnMapping.check``'s."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .importing.columns import IGNORE, MEANING_LABELS, MEANINGS, ColumnMapping
from .importing.errors import ImportFileError
from .importing.matching import ColumnProposal, column_label, guess_note


class ColumnMatchForm(forms.Form):
    has_header = forms.BooleanField(
        label=_("The first row is a header (it names the columns)"),
        required=False,
        help_text=_("Untick it when the first row is already a redirect."),
    )

    def __init__(self, proposal: ColumnProposal, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        self.fields["has_header"].initial = proposal.has_header
        if proposal.header_is_fixed:
            self.fields["has_header"].disabled = True
        labels = proposal.labels()
        for index, guess in enumerate(proposal.guesses):
            meanings = [*MEANINGS, IGNORE]
            if guess.meaning not in meanings:  # another tool's column, named as such
                meanings.insert(-1, guess.meaning)
            self.fields[self.field_name(index)] = forms.ChoiceField(
                label=column_label(index, labels),
                choices=[(meaning, MEANING_LABELS[meaning]) for meaning in meanings],
                initial=guess.meaning,
                help_text=guess_note(guess),
            )

    @staticmethod
    def field_name(index: int) -> str:
        return f"column_{index}"

    def column_fields(self) -> list[forms.BoundField]:
        return [self[self.field_name(index)] for index in range(self.proposal.width)]

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        meanings = [cleaned_data.get(self.field_name(i)) for i in range(self.proposal.width)]
        if None in meanings:  # a field error says why
            return cleaned_data
        has_header = self.proposal.header_is_fixed or bool(cleaned_data.get("has_header"))
        self.mapping = ColumnMapping(tuple(str(m) for m in meanings), has_header=has_header)
        try:
            self.mapping.check()
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from error
        return cleaned_data
