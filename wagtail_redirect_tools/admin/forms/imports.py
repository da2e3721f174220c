"""The import's forms: the upload (which takes a file kept from a refused try instead
of a new one, see :mod:`wagtail_redirect_tools.importing.kept_uploads`), and the
"Match the columns" step: a choice per column of the file, and whether its first row is
a header. That one only lays out a proposal of
:mod:`wagtail_redirect_tools.importing.matching`; the mapping's rules are
``ColumnMapping.check``'s."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from ...importing import kept_uploads
from ...importing.columns import IGNORE, MEANING_LABELS, MEANINGS, ColumnMapping
from ...importing.errors import ImportFileError
from ...importing.matching import ColumnProposal, column_label, guess_note
from .errors import DescribedFieldsMixin
from .redirects import ImportUploadForm


class UploadForm(ImportUploadForm):
    """The upload form, where a file kept from the editor's refused try (``kept_file``,
    a signed token) stands in for choosing the file again."""

    kept_file = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["file"].required = False  # given, or kept (see ``clean``)
        self.kept: kept_uploads.KeptFile | None = None
        self.chosen: Any = None  # a new file that passed its own checks (its size)

    def clean_file(self) -> Any:
        if not self.cleaned_data.get("file"):
            return None
        self.chosen = super().clean_file()
        return self.chosen

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        token = cleaned_data.get("kept_file") or ""
        self.kept = kept_uploads.take(token, self.user) if token else None
        if cleaned_data.get("file") or "file" in self.errors:
            return cleaned_data
        if self.kept is None:
            message = (
                _("The file of your last try is no longer kept: choose it again.")
                if token
                else self.fields["file"].error_messages["required"]
            )
            self.add_error("file", message)
        return cleaned_data

    def upload(self) -> tuple[str, bytes]:
        """The name and content of the file to import: the one chosen, or the one kept."""
        if self.chosen:
            self.chosen.seek(0)
            return self.chosen.name, self.chosen.read()
        assert self.kept is not None  # noqa: S101 (``clean`` refuses a form with neither)
        return self.kept.name, self.kept.content

    def keep_file(self) -> None:
        """The form is refused: keep the file it names for the next try (a new file that
        passed its own checks, or the one kept already), and say so in the form."""
        if self.chosen:
            kept_uploads.forget(self.kept)  # replaced by the new file
            self.chosen.seek(0)
            self.kept = kept_uploads.keep(self.chosen.read(), self.chosen.name, self.user)
            self.chosen = None
        if self.kept is not None:
            data = QueryDict(mutable=True)
            data.update(self.data)
            data["kept_file"] = self.kept.token
            self.data = data

    def chosen_instead(self) -> None:
        """The upload was taken: a file kept from an earlier try is not needed any more."""
        kept_uploads.forget(self.kept)


class ColumnMatchForm(DescribedFieldsMixin, forms.Form):
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
            # Columns matched to the same meaning: the error on each of their selects, so
            # it is read out with them; a meaning no column has: on the form.
            repeated = [
                index
                for index, meaning in enumerate(meanings)
                if meaning != IGNORE and meanings.count(meaning) > 1
            ]
            if not repeated:
                raise forms.ValidationError(str(error)) from error
            for index in repeated:
                self.add_error(self.field_name(index), str(error))
        return cleaned_data
