"""Reading app.yaml: no YAML 1.1 surprises, duplicate keys refused, positions counted the way people count."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from lowcode.spec.loader import LoadedApp, load_app_spec


def test_values_keep_the_text_staff_wrote(check: Callable[..., LoadedApp]) -> None:
    loaded = check(
        """
        title: 住所の届出
        tables:
          addresses:
            fields:
              zip: {type: text, default: 02134}
              answer: {type: text, default: no}
              opening: {type: text, default: 12:30}
              phone: {type: text, default: 0762202111}
              version: {type: text, default: 1.10}
        """
    )

    assert loaded.problems == []
    fields = loaded.spec.tables["addresses"].fields
    assert fields["zip"].default == "02134"  # PyYAML's YAML 1.1 rules would give the octal number 1116
    assert fields["answer"].default == "no"  # … and False
    assert fields["opening"].default == "12:30"  # … and 750 (base 60)
    assert fields["phone"].default == "0762202111"
    assert fields["version"].default == "1.10"  # … and 1.1


def test_yes_and_no_stay_choice_keys(check: Callable[..., LoadedApp]) -> None:
    loaded = check(
        """
        title: アンケート
        tables:
          answers:
            fields:
              attended:
                type: choice
                choices:
                  - {key: yes, label: 参加した}
                  - {key: no, label: 参加しなかった}
                  - {key: on, label: オンラインで参加}
        """
    )

    assert loaded.problems == []
    assert [c.key for c in loaded.spec.tables["answers"].fields["attended"].choices] == ["yes", "no", "on"]


def test_the_spec_converts_each_value_to_the_type_its_key_expects(check: Callable[..., LoadedApp]) -> None:
    loaded = check(
        """
        title: 講座の申込
        tables:
          entries:
            fields:
              day: {type: date, min: 2026-04-01, max: 2027-03-31}
              people: {type: integer, required: true, min: 1, max: 5}
              weight: {type: number, max: 2.5}
        lists:
          entries: {table: entries, page_size: 50, detail: false}
        """
    )

    assert loaded.problems == []
    fields = loaded.spec.tables["entries"].fields
    assert (fields["day"].min, fields["day"].max) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))
    assert (fields["people"].required, fields["people"].min, fields["people"].max) == (True, 1, 5)
    assert fields["weight"].max == 2.5
    assert (loaded.spec.lists["entries"].page_size, loaded.spec.lists["entries"].detail) == (50, False)


def test_fields_keep_the_order_they_were_written_in(check: Callable[..., LoadedApp]) -> None:
    loaded = check(
        """
        title: 通報
        tables:
          reports:
            fields:
              where: {type: text}
              about: {type: textarea}
              category: {type: choice, choices: [{key: road}]}
              agreed: {type: boolean}
        """
    )

    assert list(loaded.spec.tables["reports"].fields) == ["where", "about", "category", "agreed"]


def test_duplicate_keys_are_refused_not_silently_overwritten(check: Callable[..., LoadedApp]) -> None:
    loaded = check(
        """
        title: 通報
        tables:
          reports:
            fields:
              place: {type: text, label: 場所}
              category:
                type: choice
                choices: [{key: road}]
                type: text
        """
    )

    assert loaded.spec is None
    assert [p.render() for p in loaded.problems] == [
        ("demo/app.yaml:9:9 [E_DUPLICATE_KEY] The key 'type' appears twice in the same block (first on line 7). "
        "Remove one of them or give it another name.")
    ]


def test_the_same_key_in_different_blocks_is_fine(check: Callable[..., LoadedApp]) -> None:
    loaded = check(
        """
        title: 通報
        tables:
          reports:
            fields:
              title: {type: text, label: 件名}
          answers:
            fields:
              title: {type: text, label: 件名}
        """
    )

    assert loaded.problems == []


def test_columns_count_japanese_characters_not_bytes(check: Callable[..., LoadedApp]) -> None:
    loaded = check(
        """
        title: 通報
        tables:
          reports:
            fields:
              title: {type: text, label: 道路の状態, required: たぶん}
        """
    )

    assert [p.render() for p in loaded.problems] == [
        ("demo/app.yaml:5:51 [E_NOT_BOOLEAN] 'required' must be true or false, not 'たぶん'. "
        "Write `required: true` or `required: false`.")
    ]


def test_a_file_saved_by_windows_notepad_loads(workdir: Path) -> None:
    folder = workdir / "notepad"
    folder.mkdir()
    text = "title: 通報\r\ntables:\r\n  reports:\r\n    fields:\r\n      title: {type: text, required: maybe}\r\n"
    (folder / "app.yaml").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))

    loaded = load_app_spec(folder.relative_to(workdir))

    assert [p.render() for p in loaded.problems] == [
        ("notepad/app.yaml:5:37 [E_NOT_BOOLEAN] 'required' must be true or false, not 'maybe'. "
        "Write `required: true` or `required: false`.")
    ]


def test_a_valid_app_has_a_spec_and_no_problems(check: Callable[..., LoadedApp]) -> None:
    loaded = check(
        """
        title: {ja: 道路の通報, en: Road reports}
        tables:
          reports:
            fields:
              title: {type: text, required: true, label: {ja: 件名, en: Subject}}
        forms:
          report: {table: reports, title: {ja: 通報する, en: Report}}
        lists:
          reports: {table: reports, search: [title]}
        """
    )

    assert loaded.problems == []
    assert loaded.spec is not None
    assert loaded.spec.title.get("en") == "Road reports"
    assert loaded.spec.default_language == "ja"
