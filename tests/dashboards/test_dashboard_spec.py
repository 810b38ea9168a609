"""`dashboards:` (lowcode/spec/dashboards.py): every problem it can cause, word for word in English and Japanese, as
`lowcode validate` prints it, and the clean test app."""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from dashboard_app import HAZARDS

import lowcode
from lowcode.cli import main
from lowcode.spec.loader import load_app_spec


@dataclass(frozen=True)
class Case:
    code: str
    old: str
    new: str
    en: str
    ja: str


CASES = [
    Case(
        'E_UNKNOWN_FIELD', '{table: hazards, by: kind}', '{table: hazards, by: knid}',
        "demo/app.yaml:44:30 [E_UNKNOWN_FIELD] The table 'hazards' has no field 'knid'. Fields of 'hazards': name, kind, seen_on, reporter_phone, note, fixed, status, created_at. Did you mean 'kind'?",
        "demo/app.yaml:44:30 [E_UNKNOWN_FIELD] テーブル 'hazards' に項目 'knid' はありません。 'hazards' の項目: name, kind, seen_on, reporter_phone, note, fixed, status, created_at。 もしかして: kind",
    ),
    Case(
        'E_CHART_BY_TYPE', '{table: hazards, by: kind}', '{table: hazards, by: name}',
        "demo/app.yaml:44:30 [E_CHART_BY_TYPE] A chart cannot count rows by 'name': it is a text field, whose values do not make a few groups. Count by a choice, multichoice, yes/no, reference, date or derived (area) field, or by `created_at`: created_at, kind, seen_on, fixed, status.",
        "demo/app.yaml:44:30 [E_CHART_BY_TYPE] グラフは 'name' ごとに行を数えられません。text 型の項目は、値がいくつかのグループに分かれません。 選択肢・複数選択・はい/いいえ・参照・日付・区域などから作られる項目か、`created_at` を指定してください: created_at, kind, seen_on, fixed, status。",
    ),
    Case(
        'E_NOT_ONE_OF', 'by: seen_on, per: month}', 'by: seen_on, per: day}',
        "demo/app.yaml:45:44 [E_NOT_ONE_OF] 'day' is not a possible value of 'per'. Use one of: week, month.",
        "demo/app.yaml:45:44 [E_NOT_ONE_OF] 'day' は 'per' に使える値ではありません。 次のどれかを使ってください: week, month。",
    ),
    Case(
        'E_CHART_PER_NOT_DATE', '{table: hazards, by: kind}', '{table: hazards, by: kind, per: week}',
        "demo/app.yaml:44:41 [E_CHART_PER_NOT_DATE] `per: week` counts per week or month, but 'kind' is not a date. Remove `per:`, or count by a date field or by `created_at` (the day a row came in).",
        "demo/app.yaml:44:41 [E_CHART_PER_NOT_DATE] `per: week` は週ごと・月ごとに数える設定ですが、'kind' は日付ではありません。 `per:` を削除するか、日付の項目か `created_at`(受け付けた日)で数えてください。",
    ),
    Case(
        'E_CHART_LINE_NOT_DATE', '{table: hazards, by: kind}', '{table: hazards, by: kind, kind: line}',
        "demo/app.yaml:44:42 [E_CHART_LINE_NOT_DATE] A line chart shows counts over time, but 'kind' is not a date. Use `kind: bar`, or count by a date field or by `created_at`.",
        "demo/app.yaml:44:42 [E_CHART_LINE_NOT_DATE] 折れ線グラフは時期ごとの件数を示しますが、'kind' は日付ではありません。 `kind: bar` にするか、日付の項目か `created_at` で数えてください。",
    ),
    Case(
        'E_CHART_NEEDS_BY', '{table: hazards, by: kind}', '{table: hazards}',
        'demo/app.yaml:44:9 [E_CHART_NEEDS_BY] A bar chart needs `by:`, the field whose values it counts the rows by. Add e.g. `by: status`, or make it a share chart with `share: {field: …, in: […]}`.',
        'demo/app.yaml:44:9 [E_CHART_NEEDS_BY] bar のグラフには、行を数える項目を `by:` で指定する必要があります。 例えば `by: status` を追加するか、`share: {field: …, in: […]}` で割合のグラフにしてください。',
    ),
    Case(
        'E_CHART_SHARE_MISSING', '{table: hazards, by: kind}', '{table: hazards, kind: share}',
        'demo/app.yaml:44:32 [E_CHART_SHARE_MISSING] A share chart needs `share:`: which rows count as the part of the whole. Add e.g. `share: {field: status, in: [done]}`.',
        'demo/app.yaml:44:32 [E_CHART_SHARE_MISSING] 割合のグラフには、部分として数える行を `share:` で指定する必要があります。 例えば `share: {field: status, in: [done]}` を追加してください。',
    ),
    Case(
        'E_CHART_SHARE_TYPE', 'share: {field: status, in: [done]}}\n', 'share: {field: name, in: [done]}}\n',
        "demo/app.yaml:47:41 [E_CHART_SHARE_TYPE] A share is counted over the keys of a choice or yes/no field, but 'name' is a text field. Name one of: kind, fixed, status.",
        "demo/app.yaml:47:41 [E_CHART_SHARE_TYPE] 割合は選択肢か、はい/いいえの項目の値で数えますが、'name' は text 型の項目です。 次のどれかを指定してください: kind, fixed, status。",
    ),
    Case(
        'E_UNKNOWN_CHOICE', 'share: {field: status, in: [done]}}\n', 'share: {field: status, in: [dnoe]}}\n',
        "demo/app.yaml:47:54 [E_UNKNOWN_CHOICE] 'dnoe' is not a choice of the field 'status'. Choices of 'status': received, published, done. Did you mean 'done'?",
        "demo/app.yaml:47:54 [E_UNKNOWN_CHOICE] 'dnoe' は項目 'status' の選択肢にありません。 'status' の選択肢: received, published, done。 もしかして: done",
    ),
    Case(
        'E_PRIVATE_ON_PUBLIC_PAGE', '{table: hazards, by: kind}', "{table: hazards, by: kind, where: {reporter_phone: '076-220-2111'}}",
        "demo/app.yaml:44:60 [E_PRIVATE_ON_PUBLIC_PAGE] The field 'reporter_phone' is private (personal data such as a name, an address or a phone number) and is never shown on a public page. Take it off this page. To show residents something about it, add a separate public field that reveals no one, e.g. the district instead of the address.",
        "demo/app.yaml:44:60 [E_PRIVATE_ON_PUBLIC_PAGE] 項目 'reporter_phone' は private(氏名・住所・電話番号などの個人情報)なので、公開ページには決して表示されません。 このページから外してください。住民に何か示したいときは、個人が分からない別の公開項目(例: 住所ではなく地区)を追加してください。",
    ),
    Case(
        'E_NOT_PUBLIC', '{table: hazards, by: kind}', '{table: hazards, by: kind, where: {note: x}}',
        "demo/app.yaml:44:50 [E_NOT_PUBLIC] The field 'note' is staff and cannot be shown on a public page. Remove it here, or set `visibility: public` on the field if residents may see it.",
        "demo/app.yaml:44:50 [E_NOT_PUBLIC] 項目 'note' は staff なので、公開ページには表示できません。 ここから外すか、住民に見せてよい項目なら `visibility: public` にしてください。",
    ),
    Case(
        'E_UNKNOWN_TABLE', '{table: hazards, by: kind}', '{table: hazard, by: kind}',
        "demo/app.yaml:44:17 [E_UNKNOWN_TABLE] There is no table 'hazard'. Tables in this app: parks, hazards. Did you mean 'hazards'?",
        "demo/app.yaml:44:17 [E_UNKNOWN_TABLE] テーブル 'hazard' はありません。 このアプリのテーブル: parks, hazards。 もしかして: hazards",
    ),
    Case(
        'E_UNKNOWN_DASHBOARD', 'lists:\n', 'nav: [{dashboard: overviw}]\nlists:\n',
        "demo/app.yaml:37:19 [E_UNKNOWN_DASHBOARD] There is no dashboard 'overviw'. Dashboards: overview, office. Did you mean 'overview'?",
        "demo/app.yaml:37:19 [E_UNKNOWN_DASHBOARD] ダッシュボード 'overviw' はありません。 ダッシュボード: overview, office。 もしかして: overview",
    ),
    Case(
        'E_BAD_NAME', '  office:\n', '  Office:\n',
        "demo/app.yaml:49:3 [E_BAD_NAME] The name 'Office' cannot be used for a dashboard. Use lowercase letters a–z, digits and `_`, starting with a letter, e.g. `school_name`.",
        "demo/app.yaml:49:3 [E_BAD_NAME] 'Office' はダッシュボードの名前に使えません。 半角英小文字・数字・`_` で、英字から始めてください(例: `school_name`)。",
    ),
]


def validate(folder: Path, lang: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """`lowcode validate FOLDER --lang LANG`, run where the folder is: the problem lines it prints."""
    monkeypatch.chdir(folder.parent)
    result = CliRunner().invoke(main, ["validate", folder.name, "--lang", lang])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.output.splitlines()[:-1]


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.code)
def test_problem_is_reported_word_for_word(case: Case, lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert case.old in HAZARDS
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "app.yaml").write_text(HAZARDS.replace(case.old, case.new, 1), encoding="utf-8")
    assert validate(folder, lang, monkeypatch) == [getattr(case, lang)]


def test_the_test_app_is_clean(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "app.yaml").write_text(HAZARDS, encoding="utf-8")
    loaded = load_app_spec(folder)
    assert [p.render() for p in loaded.problems] == []
    assert loaded.spec is not None
    assert [chart.by for chart in loaded.spec.dashboards["overview"].charts] == ["kind", "seen_on", "created_at", None, "kind"]


def test_every_dashboard_code_has_a_case() -> None:
    tree = ast.parse((Path(lowcode.__file__).parent / "spec/dashboards.py").read_text(encoding="utf-8"))
    codes = {key.value for node in ast.walk(tree) if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "register_messages"
             for key in node.args[0].keys if isinstance(key, ast.Constant)}  # type: ignore[attr-defined]
    assert len(codes) >= 6
    assert codes - {case.code for case in CASES} == set()
