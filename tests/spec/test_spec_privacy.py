"""Side doors to private data are validate errors, word for word: a private title behind a reference, a public field
derived from a private one, `unique: true` on a private field of a public form (lowcode/spec/privacy.py)."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

Validate = Callable[[str, str], list[str]]

HOUSEHOLDS = """\
title: 防災メールの登録
tables:
  households:
    title_field: head
    fields:
      head: {type: text, visibility: private}
      home: {type: location, visibility: private}
      town: {type: text, derive: {from: home, nearest_town: true}}
      email: {type: email, unique: true, visibility: private}
  requests:
    fields:
      what: {type: text}
      household: {type: reference, to: households, visibility: private}
forms:
  ask: {table: requests}
  join: {table: households, fields: [head, home, email]}
geocoder:
  gazetteer: {file: towns.csv, name: town}
"""
TOWNS = {"towns.csv": "town,lat,lon\n広坂,36.56,136.65\n"}

EXPECTED = {
    "en": [
        ("demo/app.yaml:4:18 [E_PRIVATE_TITLE] The title field 'head' of the table 'households' is private, but 'household' "
        "of 'requests' shows that title to residents (in a public form's choices, in lists and on detail pages). "
        "Set `title_field:` to a public field that names a row without personal data (such as a school name), "
        "or take 'household' off public forms and pages."),
        ("demo/app.yaml:8:41 [E_DERIVED_FROM_PRIVATE] The public field 'town' is derived from 'home', which is private: "
        "whoever may see 'town' learns about 'home'. Set `visibility: private` on 'town' too, or derive it from a public field."),
        ("demo/app.yaml:9:36 [E_UNIQUE_PRIVATE] The private field 'email' has `unique: true` and is in the public form "
        "'join': the form's \"already registered\" answer would tell anyone whether a value (an e-mail address, say) "
        "is on file. Remove `unique: true` (staff can find duplicates on staff pages), or ask for 'email' only in a "
        "staff form (`access: staff`)."),
    ],
    "ja": [
        ("demo/app.yaml:4:18 [E_PRIVATE_TITLE] テーブル 'households' のタイトル項目 'head' は private ですが、'requests' の "
        "'household' がそのタイトルを住民に見せてしまいます(公開フォームの選択肢・一覧・詳細ページ)。 個人情報を含まずに"
        "行を表す公開の項目(学校名など)を `title_field:` にするか、'household' を公開のフォームとページから外してください。"),
        ("demo/app.yaml:8:41 [E_DERIVED_FROM_PRIVATE] public の項目 'town' は private の項目 'home' から作られるため、"
        "'town' を見られる人に 'home' が分かってしまいます。 'town' も `visibility: private` にするか、公開の項目から作ってください。"),
        ("demo/app.yaml:9:36 [E_UNIQUE_PRIVATE] private の項目 'email' は `unique: true` で、公開フォーム 'join' に"
        "含まれています。「登録済みです」という答えから、ある値(メールアドレスなど)が登録されているかが誰にでも分かって"
        "しまいます。 `unique: true` を外す(重複は職員ページで確認できます)か、'email' を職員用フォーム(`access: staff`)"
        "だけで入力するようにしてください。"),
    ],
}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_each_side_door_is_reported_at_its_place_with_a_fix(
    lang: str, workdir: Path, write_app: Callable[..., Path], validate: Validate
) -> None:
    write_app(workdir / "demo", HOUSEHOLDS, TOWNS)

    assert validate("demo", lang) == EXPECTED[lang]


@pytest.mark.parametrize(("change", "code"), [
    (("      head: {type: text, visibility: private}", "      head: {type: text}"), "E_PRIVATE_TITLE"),
    (("      town: {type: text, derive:", "      town: {type: text, visibility: private, derive:"), "E_DERIVED_FROM_PRIVATE"),
    (("  join: {table: households, fields: [head, home, email]}", "  join: {table: households, fields: [head, home, email], access: staff}"), "E_UNIQUE_PRIVATE"),
])
def test_the_fix_the_hint_names_removes_the_problem(
    change: tuple[str, str], code: str, workdir: Path, write_app: Callable[..., Path], validate: Validate
) -> None:
    old, new = change
    assert old in HOUSEHOLDS
    write_app(workdir / "demo", HOUSEHOLDS.replace(old, new), TOWNS)

    codes = [line.split(" [", 1)[1].split("]", 1)[0] for line in validate("demo", "en")]

    assert code not in codes and len(codes) == 2  # the other two remain


def test_a_private_title_behind_a_reference_only_staff_fill_is_fine(check: Callable[..., object]) -> None:
    loaded = check(HOUSEHOLDS.replace("  ask: {table: requests}", "  ask: {table: requests, access: staff}"), files=TOWNS)

    assert "E_PRIVATE_TITLE" not in [p.code for p in loaded.problems]  # type: ignore[attr-defined]


def test_a_lookup_that_copies_a_private_field_is_reported_at_the_copied_name(
    workdir: Path, write_app: Callable[..., Path], validate: Validate
) -> None:
    write_app(workdir / "demo", """\
title: 防災
tables:
  households:
    fields:
      town: {type: text}
      head: {type: text, visibility: private}
  requests:
    fields:
      town: {type: text}
      head: {type: text, derive: {from: town, lookup: households}}
      other: {type: text, visibility: staff, derive: {from: town, lookup: households, value: head}}
      same: {type: text, visibility: private, derive: {from: town, lookup: households, value: head}}
""")

    assert validate("demo", "en") == [
        ("demo/app.yaml:10:55 [E_DERIVED_FROM_PRIVATE] The public field 'head' is derived from 'households.head', which is "
        "private: whoever may see 'head' learns about 'households.head'. Set `visibility: private` on 'head' too, or "
        "derive it from a public field."),
        ("demo/app.yaml:11:94 [E_DERIVED_FROM_PRIVATE] The staff field 'other' is derived from 'households.head', which is "
        "private: whoever may see 'other' learns about 'households.head'. Set `visibility: private` on 'other' too, or "
        "derive it from a public field."),
    ]
