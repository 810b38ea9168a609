"""Every staff page passes axe, in Japanese and English, on a phone and on a desktop screen (issue 9).

Both sample apps and a small app with a staff form are served; an admin and a scoped account log in to each and
walk every page under /<app>/staff/ reachable by links from the staff home (queues, filters, records, edit pages,
the audit log, the outbox, exports' pages, the dashboards it may open — pages added later are found the same way),
plus the app's staff forms.
Pages of one kind are checked once (a path's numbers and a query's values do not make a new kind). Zero
violations of any impact.
"""
from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from support import serving, write_app
from test_staff_login_phone import run_axe

from lowcode import audit
from lowcode.app import create_app
from lowcode.mail import outbox
from lowcode.staff.accounts import RoleGrant, create_user

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
MAX_PAGES = 32  # per app and account; the 町会 admin reaches ~50 kinds, the first 32 (its two dashboards among them)
SKIPPED = re.compile(r"/(login|logout)\b|\.(csv|xlsx|geojson|json|jpg|png|webp|gif)(\?|$)|/photos/")
DESK = """
title: {ja: 窓口受付, en: Front desk}
languages: [ja, en]
tables:
  visits:
    label: {ja: 来庁記録, en: Visits}
    title_field: topic
    fields:
      topic: {type: text, required: true, label: {ja: 用件, en: Topic}}
      name: {type: text, visibility: private, label: {ja: 氏名, en: Name}}
      memo: {type: textarea, visibility: staff, label: {ja: メモ, en: Memo}}
forms:
  intake: {table: visits, access: staff, confirm: true, title: {ja: 窓口で受け付ける, en: Take a visit}}
"""
# The scoped account of each app: (role, the table its scope is on).
SCOPED = {"safe_school_routes": ("school", "hazards"), "neighbourhood_matching": ("district", "join_requests")}


def plant_rows(flask_app: Any) -> None:
    """Two rows in every table with a workflow (the queue, records and history have something to show), audit
    entries, and a failed and a queued mail (the outbox's retry button)."""
    state = flask_app.extensions["lowcode"]
    with flask_app.app_context(), state.db.engine.begin() as conn:
        for app_name, runtime in state.runtimes.items():
            for table_name, table in runtime.spec.tables.items():
                if table.workflow is None and app_name != "desk":
                    continue
                texts = {n: f"テスト {n}" for n, f in table.fields.items() if f.type in ("text", "textarea") and f.derive is None}
                for _ in range(2):
                    row_id, _ref = runtime.stores[table_name].insert(conn, {**texts, **scope_of(runtime, table_name, conn)})
                    audit.record(conn, app=app_name, action="create", actor=audit.Actor("resident", "192.0.2.1"),
                                 table=table_name, row_id=row_id, after=texts)
            for subject in ("受付のお知らせ", "Failed notice"):
                outbox.enqueue(conn, app=app_name, to="resident@home.example", subject=subject, body="x", lang="ja")
            conn.execute(outbox.OUTBOX.update().where(outbox.OUTBOX.c.subject == "Failed notice").values(
                status="failed", attempts=5, next_attempt_at=None, last_error="550 mailbox unavailable"))


def scope_of(runtime: Any, table_name: str, conn: Any) -> dict[str, Any]:
    """The planted row's scope field: the first row of the referenced table (the scoped account's value)."""
    scoped = SCOPED.get(runtime.name)
    if scoped is None or scoped[1] != table_name:
        return {}
    role = runtime.spec.roles[scoped[0]]
    field_name = role.scope[table_name]
    return {field_name: first_id(runtime, runtime.spec.tables[table_name].fields[field_name].to, conn)}


def first_id(runtime: Any, table_name: str | None, conn: Any) -> Any:
    if table_name is None:
        return "north"
    store = runtime.stores[table_name]
    return conn.execute(store.table.select().order_by(store.table.c.id).limit(1)).mappings().one()["id"]


@pytest.fixture(scope="module")
def staff_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    root = tmp_path_factory.mktemp("staff_axe")
    for sample in SCOPED:
        shutil.copytree(ROOT / "apps" / sample, root / "apps" / sample)
    write_app(root / "apps" / "desk", DESK)
    flask_app = create_app(root / "apps", {"INSTANCE_PATH": str(root / "instance"),
                                           "DATABASE_URL": f"sqlite:///{root / 'staff.sqlite3'}", "LOWCODE_RATE_LIMITS": "0"})
    plant_rows(flask_app)
    state = flask_app.extensions["lowcode"]
    with flask_app.app_context():
        engine = state.db.engine
        create_user(engine, "chief", PASSWORD, [RoleGrant(name, "admin") for name in state.runtimes])
        with engine.connect() as conn:
            grants = [RoleGrant(name, role, str(scope_of(state.runtimes[name], table, conn).popitem()[1]))
                      for name, (role, table) in SCOPED.items()]
        create_user(engine, "scoped", PASSWORD, grants)
    with serving(flask_app) as url:
        yield url, flask_app


def page_kind(url: str) -> str:
    """/app/staff/tables/hazards/12?status=x → /app/staff/tables/hazards/N?status: one axe run per kind of page."""
    parts = urlsplit(url)
    keys = sorted({key for key, _ in parse_qsl(parts.query)} - {"lang"})
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def staff_links(page: Any, app_name: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    linked = (f"/{app_name}/staff/", f"/{app_name}/dashboards/")  # the staff home links the account's dashboards
    return [h for h in hrefs if h.startswith(linked) and not SKIPPED.search(h)]


def crawl(page: Any, site: str, app_name: str, lang: str, extra: list[str]) -> dict[str, list[str]]:
    """Run axe on each kind of staff page the account reaches; {url: [violation ids with their targets]}."""
    failures: dict[str, list[str]] = {}
    todo = [f"/{app_name}/staff/", *extra]
    kinds: set[str] = set()
    while todo and len(kinds) < MAX_PAGES:
        url = todo.pop(0)
        if page_kind(url) in kinds:
            continue
        kinds.add(page_kind(url))
        response = page.goto(f"{site}{url}{'&' if '?' in url else '?'}lang={lang}")
        assert response is not None and response.status < 500, url
        violations = run_axe(page, AXE_SCRIPT[0])
        if violations:
            failures[url] = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in violations]
        todo += [link for link in staff_links(page, app_name) if page_kind(link) not in kinds]
    assert len(kinds) > 1, f"{app_name}: the staff home links to nothing"
    return failures


AXE_SCRIPT: list[Path] = []


def confirmation_step(page: Any, site: str, url: str, lang: str) -> dict[str, list[str]]:
    """The desk's staff form filled and sent: its confirmation page (確認画面), then the form with an error."""
    failures: dict[str, list[str]] = {}
    for label, fill in (("confirm", "テスト"), ("error", "")):
        page.goto(f"{site}{url}?lang={lang}")
        page.locator("#topic").fill(fill)
        page.locator("form.lc-form button[type=submit]").click()
        page.wait_for_load_state()
        violations = run_axe(page, AXE_SCRIPT[0])
        if violations:
            failures[f"{url} ({label})"] = [f"{v['id']} ({v['impact']})" for v in violations]
    return failures


def log_in(page: Any, site: str, app_name: str, username: str, lang: str) -> None:
    page.goto(f"{site}/{app_name}/staff/login?lang={lang}")
    page.locator("#username").fill(username)
    page.locator("#password").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{site}/{app_name}/staff/**")


@pytest.mark.browser
# Each language once and each viewport once: a page's markup is the same in both viewports (only CSS differs, and
# axe checks colour contrast in each), and its words differ by language; the four crossings took two minutes of CI.
@pytest.mark.parametrize("lang, viewport", [("ja", "phone"), ("en", "desktop")])
def test_every_staff_page_passes_axe(browser: Any, staff_sites: tuple[str, Any], axe_script: Path, lang: str,
                                     viewport: str) -> None:
    AXE_SCRIPT[:] = [axe_script]
    site, flask_app = staff_sites
    failures: dict[str, list[str]] = {}
    runtimes = flask_app.extensions["lowcode"].runtimes
    for username in ("chief", "scoped"):
        context = browser.new_context(viewport=VIEWPORTS[viewport], is_mobile=viewport == "phone")
        page = context.new_page()
        for app_name, runtime in runtimes.items():
            if username == "scoped" and app_name not in SCOPED:
                continue
            log_in(page, site, app_name, username, lang)
            staff_forms = [f"/{app_name}/forms/{n}" for n, f in runtime.spec.forms.items() if f.access == "staff"]
            extra = [*staff_forms, f"/{app_name}/staff/audit?since=31-12-2026"] if username == "chief" else []
            failures.update(crawl(page, site, app_name, lang, extra))  # the audit page with a filter error too
            for url in staff_forms if username == "chief" and app_name == "desk" else []:  # it knows their fields
                failures.update(confirmation_step(page, site, url, lang))
        context.close()
    assert failures == {}, "\n".join(f"{url}: {v}" for url, found in failures.items() for v in found)
