"""`link:` of a list: a link on each row (and on its detail page) to a public form, some of whose fields are filled
from the row — the find-my-町会 result's 「この町会に加入を相談する」 with the town and the 校下 filled in.

The link only fills the form (`?town=…&district=…`, read by lowcode/views/prefill.py like a submitted value):
nothing is sent until the resident sends the form. This module describes; lowcode/spec/row_link_checks.py checks.
Pure.
"""
from __future__ import annotations

from pydantic import Field

from .base import SpecModel, Text
from .schema_ja import DESCRIPTIONS_JA


class RowLinkSpec(SpecModel):
    """A link on each row of a list and on its detail page to a form, with fields filled from the row."""

    form: str = Field(description="Name of a public form.")
    label: Text | None = Field(None, description="Link text; defaults to the form's title.")
    fill: dict[str, str] = Field(
        default_factory=dict,
        description="Form field → the field of this list's row that fills it, e.g. `{town: town, district: district}`.",
    )


DESCRIPTIONS_JA.update({
    "A link on each row of a list and on its detail page to a form, with fields filled from the row.":
        "一覧の各行と詳細ページに置く、行の値を入れたフォームへのリンク。",
    "Name of a public form.": "公開フォームの名前。",
    "Link text; defaults to the form's title.": "リンクの文字。省略するとフォームの見出し。",
    "Form field → the field of this list's row that fills it, e.g. `{town: town, district: district}`.":
        "フォームの欄 → それを埋めるこの一覧の行の項目(例: `{town: town, district: district}`)。",
    "A link on each row to a form, with some of its fields filled from the row.":
        "各行に置く、行の値の一部を入れたフォームへのリンク。",
})
