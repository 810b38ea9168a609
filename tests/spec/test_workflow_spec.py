"""`roles:` and `workflow:` (lowcode/spec/workflow.py): every problem they can cause, word for word in English and
Japanese, as `lowcode validate` prints it, and the spec objects a correct file becomes."""
from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import lowcode
from lowcode.spec.loader import LoadedApp

BASE = """\
title: 道路の通報
roles:
  admin: {label: {ja: 管理者, en: Administrator}, all: true}
  school: {label: {ja: 学校, en: School}, tables: {reports: [view, edit]}, scope: {reports: school}}
tables:
  reports:
    fields:
      title: {type: text, required: true}
      school: {type: text}
      reason: {type: textarea, visibility: staff}
      status:
        type: choice
        choices:
          - {key: received}
          - {key: published, public: true}
          - {key: declined, closed: true}
    workflow:
      field: status
      initial: received
      transitions:
        - {from: received, to: published, action: {ja: 公開する, en: Publish}, roles: [school]}
        - {from: [received, published], to: declined, roles: [school], require: [reason]}
forms:
  report: {table: reports, fields: [title, school]}
lists:
  reports: {table: reports}
"""
# BASE has 27 lines and validates clean (test_the_base_app_is_clean).


@dataclass(frozen=True)
class Case:
    code: str
    old: str  # text of BASE replaced (first occurrence) …
    new: str  # … by this
    en: str
    ja: str


CASES = [
    Case(
        "E_UNKNOWN_ROLE", "roles: [school], require", "roles: [schol], require",
        "demo/app.yaml:22:63 [E_UNKNOWN_ROLE] There is no role 'schol'. Roles of this app: admin, school. Add it "
        "under `roles:`, or name one of these. Did you mean 'school'?",
        "demo/app.yaml:22:63 [E_UNKNOWN_ROLE] 役割 'schol' はありません。 このアプリの役割: admin, school。`roles:` "
        "に追加するか、このどれかにしてください。 もしかして: school",
    ),
    Case(
        "E_WORKFLOW_NOT_CHOICE", "field: status", "field: title",
        "demo/app.yaml:18:14 [E_WORKFLOW_NOT_CHOICE] The workflow's field 'title' is of type text, but the statuses "
        "must be the choices of a `choice` field. Name a `choice` field, e.g. `status: {type: choice, choices: "
        "[{key: received, public: false}, {key: published, public: true}]}`.",
        "demo/app.yaml:18:14 [E_WORKFLOW_NOT_CHOICE] ワークフローの項目 'title' は text 型ですが、状態は `choice` "
        "型の項目の選択肢でなければなりません。 `choice` 型の項目を指定してください(例: `status: {type: choice, "
        "choices: [{key: received, public: false}, {key: published, public: true}]}`)。",
    ),
    Case(
        "E_STATUS_ON_PUBLIC_FORM", "fields: [title, school]", "fields: [title, school, status]",
        "demo/app.yaml:24:52 [E_STATUS_ON_PUBLIC_FORM] The public form 'report' asks for 'status', the status of the "
        "workflow: residents would choose their report's status themselves. Remove 'status' from the form's "
        "`fields:`; every submission starts in the workflow's `initial:` status.",
        "demo/app.yaml:24:52 [E_STATUS_ON_PUBLIC_FORM] 公開フォーム 'report' に、ワークフローの状態の項目 'status' "
        "が入っています。住民が自分で状態を選べてしまいます。 フォームの `fields:` から 'status' を外してください。"
        "送られた内容はワークフローの `initial:` の状態で始まります。",
    ),
    Case(
        "W_UNREACHABLE_STATUS", "to: declined", "to: received",
        "demo/app.yaml:16:13 [W_UNREACHABLE_STATUS] No transition leads to the status 'declined', and it is not the "
        "initial status: no row can ever be in it. Add a transition with `to: declined`, or remove the choice.",
        "demo/app.yaml:16:13 [W_UNREACHABLE_STATUS] 状態 'declined' に移る遷移がなく、最初の状態でもないため、"
        "どの行もこの状態になりません。 `to: declined` の遷移を追加するか、この選択肢を削除してください。",
    ),
    Case(
        "W_NO_PUBLIC_STATUS", "{key: published, public: true}", "{key: published}",
        "demo/app.yaml:18:14 [W_NO_PUBLIC_STATUS] No status of the workflow on 'reports' has `public: true`: none of "
        "its rows will appear on public lists, maps or detail pages. Add `public: true` to the statuses residents "
        "may see, e.g. `{key: published, public: true}`; for a table only staff read, name it on no public list, map "
        "or reference field.",
        "demo/app.yaml:18:14 [W_NO_PUBLIC_STATUS] 'reports' のワークフローに `public: true` の状態がないため、"
        "どの行も公開の一覧・地図・詳細ページに出ません。 住民に見せる状態に `public: true` を付けてください"
        "(例: `{key: published, public: true}`)。職員だけが見るテーブルなら、公開の一覧・地図・参照の項目に使わないでください。",
    ),
    Case(
        "W_STATUS_WITHOUT_WORKFLOW", "      school: {type: text}\n",
        "      school: {type: choice, choices: [{key: a}, {key: b, public: false}]}\n",
        "demo/app.yaml:9:59 [W_STATUS_WITHOUT_WORKFLOW] `public:` is set on the choices of 'school', but no "
        "`workflow:` of the table 'reports' names that field: it has no effect, and rows of every choice are shown on "
        "public pages. Add `workflow: {field: school, initial: …, transitions: […]}` to the table, or remove `public:`.",
        "demo/app.yaml:9:59 [W_STATUS_WITHOUT_WORKFLOW] 'school' の選択肢に `public:` がありますが、テーブル 'reports' "
        "の `workflow:` がこの項目を指定していないため効果がなく、どの選択肢の行も公開ページに出ます。 テーブルに "
        "`workflow: {field: school, initial: …, transitions: […]}` を追加するか、`public:` を削除してください。",
    ),
    # Codes shared with the rest of the spec, reached through `roles:` and `workflow:`.
    Case(
        "E_UNKNOWN_CHOICE", "from: [received, published]", "from: [received, publshed]",
        "demo/app.yaml:22:29 [E_UNKNOWN_CHOICE] 'publshed' is not a choice of the field 'status'. Choices of "
        "'status': received, published, declined. Did you mean 'published'?",
        "demo/app.yaml:22:29 [E_UNKNOWN_CHOICE] 'publshed' は項目 'status' の選択肢にありません。 'status' の選択肢: "
        "received, published, declined。 もしかして: published",
    ),
    Case(
        "E_UNKNOWN_FIELD", "require: [reason]", "require: [reasons]",
        "demo/app.yaml:22:82 [E_UNKNOWN_FIELD] The table 'reports' has no field 'reasons'. Fields of 'reports': "
        "title, school, reason, status. Did you mean 'reason'?",
        "demo/app.yaml:22:82 [E_UNKNOWN_FIELD] テーブル 'reports' に項目 'reasons' はありません。 'reports' の項目: "
        "title, school, reason, status。 もしかして: reason",
    ),
    Case(
        "E_UNKNOWN_TABLE", "tables: {reports: [view, edit]}", "tables: {report: [view, edit]}",
        "demo/app.yaml:4:58 [E_UNKNOWN_TABLE] There is no table 'report'. Tables in this app: reports. Did you mean "
        "'reports'?",
        "demo/app.yaml:4:58 [E_UNKNOWN_TABLE] テーブル 'report' はありません。 このアプリのテーブル: reports。 "
        "もしかして: reports",
    ),
]


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.code)
def test_problem_is_reported_word_for_word(
    case: Case, lang: str, workdir: Path, write_app: Callable[..., Path], validate: Callable[..., list[str]]
) -> None:
    assert case.old in BASE
    write_app(workdir / "demo", BASE.replace(case.old, case.new, 1))

    lines = validate("demo", lang)

    assert lines == [getattr(case, lang)]


def test_the_base_app_is_clean(workdir: Path, write_app: Callable[..., Path], validate: Callable[..., list[str]]) -> None:
    write_app(workdir / "demo", BASE)
    assert validate("demo", "en") == []


STAFF_ONLY = BASE.replace("{key: published, public: true}", "{key: published}").replace(
    "lists:\n  reports: {table: reports}\n", "")
PUBLIC_PAGES = {  # what shows the table on a public page: (text of STAFF_ONLY, the same with the page added)
    "a list": ("forms:\n", "lists:\n  reports: {table: reports}\nforms:\n"),
    "a map layer": ("forms:\n", "maps:\n  where:\n    layers: [{table: reports}]\nforms:\n"),
    "a reference": ("forms:\n", "  schools:\n    fields:\n      report: {type: reference, to: reports}\nforms:\n"),
}


def test_a_table_on_no_public_page_needs_no_public_status(
    workdir: Path, write_app: Callable[..., Path], validate: Callable[..., list[str]]
) -> None:
    """Join requests read by staff only: a workflow without a public status is what the app means, not a mistake."""
    write_app(workdir / "demo", STAFF_ONLY)
    assert validate("demo", "en") == []


@pytest.mark.parametrize("page", PUBLIC_PAGES, ids=list(PUBLIC_PAGES))
def test_a_table_shown_on_a_public_page_without_a_public_status_is_warned_about(
    page: str, workdir: Path, write_app: Callable[..., Path], validate: Callable[..., list[str]]
) -> None:
    old, new = PUBLIC_PAGES[page]
    yaml = STAFF_ONLY.replace(old, new, 1).replace("      school: {type: text}\n", "      school: {type: text}\n      spot: {type: location}\n", 1)
    write_app(workdir / "demo", yaml)
    assert [line.split(" [")[1].split("]")[0] for line in validate("demo", "en")] == ["W_NO_PUBLIC_STATUS"]


def test_every_workflow_code_has_a_case() -> None:
    tree = ast.parse((Path(lowcode.__file__).parent / "spec/workflow.py").read_text(encoding="utf-8"))
    codes = {key.value for node in ast.walk(tree) if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "register_messages"
             for key in node.args[0].keys if isinstance(key, ast.Constant)}  # type: ignore[attr-defined]
    assert len(codes) >= 5
    assert codes - {case.code for case in CASES} == set()


def test_an_unknown_action_is_refused_with_the_actions_listed(
    workdir: Path, write_app: Callable[..., Path], validate: Callable[..., list[str]]
) -> None:
    write_app(workdir / "demo", BASE.replace("[view, edit]", "[view, edti]", 1))
    [line] = validate("demo", "en")
    assert line.startswith("demo/app.yaml:4:") and "[E_NOT_ONE_OF]" in line
    assert "edti" in line and "manage_areas" in line and "Did you mean 'edit'?" in line


def test_a_workflow_without_initial_is_refused(
    workdir: Path, write_app: Callable[..., Path], validate: Callable[..., list[str]]
) -> None:
    write_app(workdir / "demo", BASE.replace("      initial: received\n", "", 1))
    [line] = validate("demo", "en")
    assert line.startswith("demo/app.yaml:18:7 ") and "initial" in line and "[E_MISSING_KEY]" in line


def test_roles_and_workflow_become_spec_objects(check: Callable[..., LoadedApp]) -> None:
    spec = check(BASE).spec
    assert spec is not None
    workflow = spec.tables["reports"].workflow
    assert workflow is not None and workflow.initial == "received"
    assert workflow.public_statuses(spec.tables["reports"]) == ["published"]
    assert [t.sources for t in workflow.transitions] == [["received"], ["received", "published"]]
    assert spec.roles["school"].actions("reports") == {"view", "edit"}
    assert spec.roles["admin"].actions("reports") >= {"view", "edit", "see_private", "export", "import", "manage_areas"}
    assert spec.roles["school"].scope == {"reports": "school"}


def test_the_status_is_left_out_of_a_form_that_names_no_fields(check: Callable[..., LoadedApp]) -> None:
    from lowcode.spec.privacy import form_field_list
    spec = check(BASE.replace("fields: [title, school]", "title: 通報", 1)).spec
    assert spec is not None
    assert form_field_list(spec.forms["report"], spec.tables["reports"]) == ["title", "school", "reason"]
