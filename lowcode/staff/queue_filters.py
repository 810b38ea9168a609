"""The staff queue's filters beyond a list's own (status, choice fields, search): the assignee and the area.

`?assignee=` is empty (anyone), `@me`, `@nobody` or a username; `?area=` is `<area set>:<area name>`. The same query
string serves the queue page and whatever reads "the rows the queue shows" (the export), through
`queue_filter_clauses`. Nothing in the query string is ever an error: an unknown value shows no rows or is ignored.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..audience import Audience
from ..records.area_filter import AreaChoices, area_choices, area_clauses
from ..records.assignment import assignee_clauses, eligible_assignees, has_assignee
from ..runtime import AppRuntime
from ..values import strip_controls

MAX_FILTER_LENGTH = 300


@dataclass(frozen=True)
class QueueFilterChoices:
    """What the queue's two extra menus offer: eligible accounts (empty without a workflow) and area sets."""

    assignees: list[str]
    areas: list[AreaChoices]


def queue_arg(args: Mapping[str, str], name: str) -> str:
    return strip_controls(str(args.get(name, "")))[:MAX_FILTER_LENGTH].strip()


def queue_filter_clauses(
    runtime: AppRuntime, engine: sa.Engine, table: str, args: Mapping[str, str], audience: Audience, me: str,
) -> list[Any]:
    """SQL for `?assignee=` (`me`: the logged-in account's username) and `?area=`, for the records layer's query_page."""
    return [*assignee_clauses(runtime, table, queue_arg(args, "assignee"), me),
            *area_clauses(runtime, engine, table, queue_arg(args, "area"), audience)]


def queue_filter_choices(runtime: AppRuntime, engine: sa.Engine, table: str, audience: Audience) -> QueueFilterChoices:
    assignees = eligible_assignees(runtime, engine, table) if has_assignee(runtime, table) else []
    return QueueFilterChoices(assignees, area_choices(runtime, engine, table, audience))
