"""The import reads each cell as django-import-export's fields do (``Field.clean``), with
their answers for blank cells remembered and plain text taken as it is: the same value,
or the same error, for any cell."""

from __future__ import annotations

import datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from wagtail_redirect_tools.importing.resources import RedirectResource

CELLS = st.one_of(
    st.none(),
    st.just(""),
    st.text(max_size=30),
    st.sampled_from(["301", " 302 ", "gone", "٣٠١", "³⁰¹", "localhost", "2026-03-29 01:30"]),
    st.integers(min_value=-5, max_value=2000),
    st.floats(allow_nan=True),
    st.booleans(),
    st.datetimes(min_value=datetime.datetime(1990, 1, 1)),
)


def field_clean(field: Any, value: Any) -> tuple[str, Any]:
    try:
        return "value", field.clean({field.column_name: value})
    except ValueError as error:
        return "error", str(error)


def cleaner_clean(cleaner: Any, value: Any) -> tuple[str, Any]:
    try:
        return "value", cleaner.clean(value)
    except ValueError as error:
        return "error", str(error)


class TestCleaningAsTheFieldsDo(HypothesisTestCase):
    @given(value=CELLS)
    def test_every_column_reads_a_cell_as_its_field(self, value: Any) -> None:
        resource = RedirectResource()
        for cleaner in resource.cleaners:
            self.assertEqual(
                cleaner_clean(cleaner, value), field_clean(cleaner.field, value), cleaner.name
            )

    def test_text_columns_take_text_as_it_is(self) -> None:
        text = {cleaner.name for cleaner in RedirectResource().cleaners if cleaner.text}
        self.assertEqual(text, {"from", "to", "reason"})
