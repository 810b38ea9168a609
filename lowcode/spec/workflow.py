"""Staff roles (`roles:`) and a table's review workflow (`workflow:`): the YAML shapes and the checks of both.

A role says, per table, what its accounts may do (`view`, `create`, `edit`, `see_private`, `export`, `import`,
`manage_areas`) and may be scoped to the rows whose field equals the account's value (a school's account, its
school's hazards). `all: true` may do everything; a role `admin` with `all: true` exists even when not written.

A workflow names a `choice` field whose choices are the statuses (each with `public:` and `closed:`), the status a
resident's submission starts in (`initial`), and the transitions staff may take: from, to, the button's label, the
roles allowed, the fields required on the way (a reason when declining), a message to the resident. Only rows in
a public status reach public pages (lowcode/audience.py). Pure: no web framework, no database.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from .base import SpecModel, Text
from .context import CheckContext, spec_check
from .problems import Message, register_messages

if TYPE_CHECKING:
    from .models import AppSpec, ChoiceSpec, TableSpec

Action = Literal["view", "create", "edit", "see_private", "export", "import", "manage_areas"]
ACTIONS: tuple[str, ...] = ("view", "create", "edit", "see_private", "export", "import", "manage_areas")
# The role every deployment has, whether or not the YAML writes it: the first account is made with it.
ADMIN_ROLE = "admin"
ANY_STATUS = "*"


class RoleSpec(SpecModel):
    """A staff role: what its accounts may do with each table, and the rows they see."""

    label: Text | None = Field(None, description="Name of the role as staff say it; defaults to the role's name.")
    all: bool = Field(False, description="`true`: may do everything with every table and take every transition.")
    tables: dict[str, list[Action]] = Field(
        default_factory=dict,
        description="Table name → what the role may do: `view`, `create`, `edit`, `see_private` (personal data), "
        "`export`, `import`, `manage_areas`. Any of them lets the role view the table. Status changes are given by "
        "the transitions of the table's `workflow:` that name the role.",
    )
    scope: dict[str, str] = Field(
        default_factory=dict,
        description="Table name → field: the role sees only rows whose field equals its account's value "
        "(set with `lowcode user add --scope`), e.g. `{hazards: school}`.",
    )

    def actions(self, table_name: str) -> frozenset[str]:
        """What it may do with the table (listing any action lets it view the table)."""
        if self.all:
            return frozenset(ACTIONS)
        given = frozenset(self.tables.get(table_name, ()))
        return given | {"view"} if given else given


class TransitionSpec(SpecModel):
    """One move of a row from a status to another, taken by staff with a button."""

    from_: str | list[str] = Field(
        alias="from", description="Status (or list of statuses) the row must be in; `\"*\"`: any status."
    )
    to: str = Field(description="Status the row moves to.")
    action: Text | None = Field(None, description="Label of the button, e.g. `{ja: 公開する, en: Publish}`; defaults to the new status's label.")
    roles: list[str] = Field(
        default_factory=list, description="Roles that may take it; roles with `all: true` (such as `admin`) always may."
    )
    require: list[str] = Field(default_factory=list, description="Fields that must be filled on this move, e.g. a reason when declining.")
    message: Text | None = Field(None, description="Message to the resident (on their private link and by e-mail).")

    @property
    def sources(self) -> list[str]:
        return [self.from_] if isinstance(self.from_, str) else list(self.from_)

    def leaves(self, status: str | None) -> bool:
        """True when a row in `status` may take this transition."""
        return ANY_STATUS in self.sources or status in self.sources


class WorkflowSpec(SpecModel):
    """The statuses a row goes through and who moves it: a `choice` field and its transitions."""

    field: str = Field(
        description="A `choice` field of the table whose choices are the statuses (give them `public:` and `closed:`)."
    )
    initial: str = Field(description="Status every submission from a public form starts in.")
    transitions: list[TransitionSpec] = Field(default_factory=list, description="The moves staff may make.")

    def public_statuses(self, table: TableSpec) -> list[str]:
        spec = table.fields.get(self.field)
        return [choice.key for choice in (spec.choices or ()) if choice.public] if spec is not None else []


def publicly_shown_choices(table: TableSpec, field_name: str) -> list[ChoiceSpec]:
    """The choices of a field a public page can meet: for the status field of the table's workflow only its public
    statuses (a map legend or a list filter offering 受付 or 非表示 would name rows the public never sees)."""
    spec = table.fields.get(field_name)
    choices = list(spec.choices or ()) if spec is not None else []
    if table.workflow is not None and table.workflow.field == field_name:
        return [choice for choice in choices if choice.public]
    return choices


def role_names(app: AppSpec) -> list[str]:
    """The app's roles: those written, and `admin` (may do everything) when it is not."""
    return list(app.roles) if ADMIN_ROLE in app.roles else [*app.roles, ADMIN_ROLE]


def role_spec(app: AppSpec, name: str) -> RoleSpec | None:
    if name == ADMIN_ROLE and name not in app.roles:
        return RoleSpec(all=True)
    return app.roles.get(name)


register_messages(
    {
        "E_UNKNOWN_ROLE": Message(
            "There is no role '{name}'.",
            "役割 '{name}' はありません。",
            "Roles of this app: {options}. Add it under `roles:`, or name one of these.",
            "このアプリの役割: {options}。`roles:` に追加するか、このどれかにしてください。",
        ),
        "E_WORKFLOW_NOT_CHOICE": Message(
            "The workflow's field '{name}' is of type {type}, but the statuses must be the choices of a `choice` field.",
            "ワークフローの項目 '{name}' は {type} 型ですが、状態は `choice` 型の項目の選択肢でなければなりません。",
            "Name a `choice` field, e.g. `status: {{type: choice, choices: [{{key: received, public: false}}, "
            "{{key: published, public: true}}]}}`.",
            "`choice` 型の項目を指定してください(例: `status: {{type: choice, choices: [{{key: received, public: false}}, "
            "{{key: published, public: true}}]}}`)。",
        ),
        "E_STATUS_ON_PUBLIC_FORM": Message(
            "The public form '{form}' asks for '{name}', the status of the workflow: residents would choose their "
            "report's status themselves.",
            "公開フォーム '{form}' に、ワークフローの状態の項目 '{name}' が入っています。住民が自分で状態を選べてしまいます。",
            "Remove '{name}' from the form's `fields:`; every submission starts in the workflow's `initial:` status.",
            "フォームの `fields:` から '{name}' を外してください。送られた内容はワークフローの `initial:` の状態で始まります。",
        ),
        "W_UNREACHABLE_STATUS": Message(
            "No transition leads to the status '{name}', and it is not the initial status: no row can ever be in it.",
            "状態 '{name}' に移る遷移がなく、最初の状態でもないため、どの行もこの状態になりません。",
            "Add a transition with `to: {name}`, or remove the choice.",
            "`to: {name}` の遷移を追加するか、この選択肢を削除してください。",
            severity="warning",
        ),
        "W_NO_PUBLIC_STATUS": Message(
            "No status of the workflow on '{name}' has `public: true`: none of its rows will appear on public lists, "
            "maps or detail pages.",
            "'{name}' のワークフローに `public: true` の状態がないため、どの行も公開の一覧・地図・詳細ページに出ません。",
            "Add `public: true` to the statuses residents may see, e.g. `{{key: published, public: true}}`; for a table "
            "only staff read, name it on no public list, map or reference field.",
            "住民に見せる状態に `public: true` を付けてください(例: `{{key: published, public: true}}`)。職員だけが見る"
            "テーブルなら、公開の一覧・地図・参照の項目に使わないでください。",
            severity="warning",
        ),
        "W_STATUS_WITHOUT_WORKFLOW": Message(
            "`{key}:` is set on the choices of '{field}', but no `workflow:` of the table '{table}' names that field: "
            "it has no effect, and rows of every choice are shown on public pages.",
            "'{field}' の選択肢に `{key}:` がありますが、テーブル '{table}' の `workflow:` がこの項目を指定していないため"
            "効果がなく、どの選択肢の行も公開ページに出ます。",
            "Add `workflow: {{field: {field}, initial: …, transitions: […]}}` to the table, or remove `{key}:`.",
            "テーブルに `workflow: {{field: {field}, initial: …, transitions: […]}}` を追加するか、`{key}:` を削除してください。",
            severity="warning",
        ),
    }
)


@spec_check
def check_roles(app: AppSpec, ctx: CheckContext) -> None:
    for role_name, role in app.roles.items():
        path = ("roles", role_name)
        for table_name in role.tables:
            ctx.require_name("E_UNKNOWN_TABLE", table_name, app.tables, (*path, "tables", table_name))
        for table_name, field_name in role.scope.items():
            if ctx.require_name("E_UNKNOWN_TABLE", table_name, app.tables, (*path, "scope", table_name)):
                fields = app.tables[table_name].fields
                ctx.require_name("E_UNKNOWN_FIELD", field_name, fields, (*path, "scope", table_name), table=table_name)


@spec_check
def check_status_flags(app: AppSpec, ctx: CheckContext) -> None:
    """`public:`/`closed:` outside a workflow: a city believing `public: false` hides rows would publish them."""
    for table_name, table in app.tables.items():
        # As written: a workflow left out for an error of its own (no `initial:`) still names its field.
        status = table.workflow.field if table.workflow is not None else ctx.raw_value(("tables", table_name, "workflow", "field"))
        if not isinstance(status, str):
            status = None
        elif getattr(table.fields.get(status), "type", None) != "choice":
            continue  # the workflow's own field is wrong: its error says what to fix first
        for field_name, field in table.fields.items():
            flags = [(index, key) for index, choice in enumerate(field.choices or ())
                     for key in sorted({"public", "closed"} & choice.model_fields_set)]
            if flags and field_name != status:  # one warning per field says it for all its choices
                index, key = flags[0]
                path = ("tables", table_name, "fields", field_name, "choices", index, key)
                ctx.report("W_STATUS_WITHOUT_WORKFLOW", path, prefer_key=True, key=key, field=field_name, table=table_name)


@spec_check
def check_workflows(app: AppSpec, ctx: CheckContext) -> None:
    for table_name, table in app.tables.items():
        workflow = table.workflow
        if workflow is None:
            continue
        path = ("tables", table_name, "workflow")
        if not ctx.require_name("E_UNKNOWN_FIELD", workflow.field, table.fields, (*path, "field"), table=table_name):
            continue
        spec = table.fields[workflow.field]
        if spec.type != "choice":
            ctx.report("E_WORKFLOW_NOT_CHOICE", (*path, "field"), name=workflow.field, type=spec.type)
            continue
        statuses = [choice.key for choice in spec.choices or ()]
        _check_transitions(app, ctx, table_name, table, workflow, statuses, path)
        _check_reachable(ctx, workflow, statuses, ("tables", table_name, "fields", workflow.field, "choices"))
        if statuses and not workflow.public_statuses(table) and shown_to_the_public(app, table_name):
            ctx.report("W_NO_PUBLIC_STATUS", (*path, "field"), name=table_name)
        _check_public_forms(app, ctx, table_name, workflow.field)


def shown_to_the_public(app: AppSpec, table_name: str) -> bool:
    """Whether a public page would show the table's rows: a list, a map layer, or a reference to it (options on
    forms, titles on pages). A table on none of them (join requests read by staff only) needs no public status, so
    `W_NO_PUBLIC_STATUS` is not given for it: keeping the table off public pages is how an app says so."""
    if any(spec.table == table_name for spec in app.lists.values()):
        return True
    if any(layer.table == table_name for spec in app.maps.values() for layer in spec.layers):
        return True
    return any(field.type == "reference" and field.to == table_name
               for table in app.tables.values() for field in table.fields.values())


def _check_transitions(
    app: AppSpec, ctx: CheckContext, table_name: str, table: TableSpec, workflow: WorkflowSpec, statuses: list[str],
    path: tuple[object, ...],
) -> None:
    def require_status(name: str, at: tuple[object, ...]) -> None:
        ctx.require_name("E_UNKNOWN_CHOICE", name, statuses, at, field=workflow.field)

    require_status(workflow.initial, (*path, "initial"))
    roles = role_names(app)
    for index, transition in enumerate(workflow.transitions):
        at = (*path, "transitions", index)
        sources = transition.from_
        if isinstance(sources, str):
            if sources != ANY_STATUS:
                require_status(sources, (*at, "from"))
        else:
            for position, source in enumerate(sources):
                require_status(source, (*at, "from", position))
        require_status(transition.to, (*at, "to"))
        for position, role in enumerate(transition.roles):
            ctx.require_name("E_UNKNOWN_ROLE", role, roles, (*at, "roles", position))
        for position, name in enumerate(transition.require):
            ctx.require_name("E_UNKNOWN_FIELD", name, table.fields, (*at, "require", position), table=table_name)


def _check_reachable(ctx: CheckContext, workflow: WorkflowSpec, statuses: list[str], path: tuple[object, ...]) -> None:
    """Statuses no path of transitions reaches from `initial` (a typo in a `to:` usually)."""
    reached = {workflow.initial}
    frontier = [workflow.initial]
    while frontier:
        status = frontier.pop()
        for transition in workflow.transitions:
            if transition.leaves(status) and transition.to not in reached:
                reached.add(transition.to)
                frontier.append(transition.to)
    for index, status in enumerate(statuses):
        if status not in reached:
            ctx.report("W_UNREACHABLE_STATUS", (*path, index), name=status)


def _check_public_forms(app: AppSpec, ctx: CheckContext, table_name: str, status_field: str) -> None:
    for form_name, form in app.forms.items():
        if form.access == "public" and form.table == table_name and status_field in (form.fields or ()):
            index = (form.fields or []).index(status_field)
            ctx.report("E_STATUS_ON_PUBLIC_FORM", ("forms", form_name, "fields", index), form=form_name, name=status_field)
