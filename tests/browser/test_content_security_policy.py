"""Every page of both sample apps runs under its Content-Security-Policy without a single violation."""
from __future__ import annotations

from typing import Any

import pytest
from test_sample_apps import sample_pages, sample_server  # noqa: F401  (the module's live server fixture)

pytestmark = pytest.mark.browser
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.mark.parametrize("path", sample_pages())
def test_sample_page_has_no_csp_violation(browser: Any, sample_server: str, path: str) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    context.add_init_script(RECORD_VIOLATIONS)
    context.route("**/*", lambda route, request: route.continue_() if request.url.startswith(sample_server)
                  or request.url.startswith(("data:", "blob:")) else route.abort())
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None)
    response = page.goto(f"{sample_server}{path}")
    assert response is not None and response.status == 200
    assert "script-src 'self' 'nonce-" in response.headers["content-security-policy"] or "<script>" not in page.content()
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__cspViolations")
    context.close()
    assert violations == [], f"{path}: {violations}"
    assert console == [], f"{path}: {console}"


def test_an_injected_inline_script_is_refused(browser: Any, sample_server: str) -> None:  # noqa: F811
    """The policy is not a formality: a <script> without the page's nonce does not run."""
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.goto(f"{sample_server}/safe_school_routes/maps/hazards")
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';
                             document.body.appendChild(s); }""")
    ran = page.evaluate("window.__ran === 1")
    violations = page.evaluate("window.__cspViolations")
    context.close()
    assert not ran
    assert any(v.startswith("script-src") for v in violations), violations
