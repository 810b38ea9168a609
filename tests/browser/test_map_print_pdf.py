"""The printable map in Chromium (issue 10): printed to PDF on A4 and A3, portrait and landscape, after the numbered
markers are drawn; the PDF's pages have the chosen paper's size, and in print media the sheet shows the title, the
map with its numbers, and the numbered list (no PDF text extractor is installed, so text and layout are read from
the DOM under `emulate_media(media="print")`; the page sizes and count from the PDF itself, with a small regex).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from print_app import PRINT_APP, PRINT_FILES
from support import serving, write_app
from test_staff_login_phone import BLOCKING, run_axe

from lowcode.app import create_app

# Enough points that the list runs over several A4 pages: page breaks and repeated headers are exercised.
MANY = 90
MAX_ON_SHEET = MANY  # every hazard is public; the schools layer is off when the map opens
POINTS_PER_MM = 72 / 25.4
PAPER_MM = {"a4": (210, 297), "a3": (297, 420)}
MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]")
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def many_hazards() -> str:
    rows = [f"地点{i:03d} <b>太字</b>,{'traffic' if i % 2 else 'crime'},published,{36.55 + i * 0.0005:.4f},{136.60 + (i % 9) * 0.01:.2f}"
            for i in range(MANY)]
    return "title,theme,status,lat,lon\n" + "\n".join(rows) + "\n"


@pytest.fixture(scope="module")
def print_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("print")
    write_app(root / "apps" / "demo", PRINT_APP, {**PRINT_FILES, "data/hazards.csv": many_hazards()})
    app = create_app(root / "apps", {"INSTANCE_PATH": str(root / "instance"), "DATABASE_URL": f"sqlite:///{root / 'print.sqlite3'}"})
    with serving(app) as url:
        yield url


def open_sheet(browser: Any, site: str, query: str) -> Any:
    """A desktop tab that may only talk to the test server, on the print view, once its numbered markers are drawn."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    local = urlsplit(site).netloc
    context.route("**/*", lambda route, request: route.continue_() if urlsplit(request.url).netloc == local else route.abort())
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{site}/demo/maps/routes/print?{query}")
    page.wait_for_selector(".lowcode-map[data-lowcode-points]", state="attached")
    return page


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's size in points, from its MediaBox (Chromium writes page dictionaries uncompressed)."""
    assert pdf.startswith(b"%PDF-")
    count = len(PAGE_OBJECT.findall(pdf))
    boxes = [(float(w), float(h)) for w, h in MEDIA_BOX.findall(pdf)]
    assert count >= 1 and len(boxes) >= count, (count, boxes)
    return boxes[:count]


@pytest.mark.browser
@pytest.mark.parametrize(("paper", "orientation"), [("a4", "portrait"), ("a4", "landscape"), ("a3", "portrait"), ("a3", "landscape")])
def test_the_sheet_prints_to_pdf_on_the_chosen_paper(browser: Any, print_site: str, paper: str, orientation: str) -> None:
    page = open_sheet(browser, print_site, f"lang=ja&paper={paper}&orientation={orientation}")
    assert page.locator(".lowcode-number").count() == MAX_ON_SHEET

    # The form's choice wins over the format the PDF is asked for: the size comes from the page's own @page rule.
    other = "A3" if paper == "a4" else "A4"
    pages = pdf_pages(page.pdf(format=other, landscape=orientation == "portrait", prefer_css_page_size=True, print_background=True))
    short, long = PAPER_MM[paper]
    want = (short, long) if orientation == "portrait" else (long, short)
    for width, height in pages:
        assert abs(width - want[0] * POINTS_PER_MM) < 3 and abs(height - want[1] * POINTS_PER_MM) < 3, (width, height, want)
    if (paper, orientation) == ("a4", "portrait"):
        assert len(pages) >= 3  # the list of 90 points runs on
    # And the same pages when the PDF is asked for the same paper directly (the browser's own Print to PDF).
    same = pdf_pages(page.pdf(format=paper.upper(), landscape=orientation == "landscape", print_background=True))
    assert len(same) == len(pages)
    page.context.close()


@pytest.mark.browser
def test_in_print_media_the_sheet_shows_title_numbers_and_list_and_hides_the_controls(browser: Any, print_site: str) -> None:
    page = open_sheet(browser, print_site, "lang=ja&paper=a4&orientation=portrait")
    page.emulate_media(media="print")

    assert page.locator("h1").inner_text() == "通学路の危険箇所マップ"
    assert page.locator(".print-controls").is_hidden() and page.locator(".site-header").is_hidden()
    assert page.locator(".leaflet-control-zoom").is_hidden()
    assert page.locator(".leaflet-control-scale-line").is_visible() and page.locator(".lowcode-north").is_visible()
    on_map = page.locator(".lowcode-number").all_inner_texts()
    in_list = page.locator(".print-list tbody th").all_inner_texts()
    assert sorted(on_map, key=int) == in_list == [str(n) for n in range(1, MANY + 1)]
    assert "<b>太字</b>" in page.locator(".print-list tbody td").first.inner_text()  # shown as text, not markup
    layout = page.evaluate("""() => {
        const row = document.querySelector('.print-list tbody tr');
        const head = document.querySelector('.print-list thead');
        const map = document.querySelector('.print-map .lowcode-map').getBoundingClientRect();
        const sheet = document.querySelector('.print-sheet').getBoundingClientRect();
        return {row: getComputedStyle(row).breakInside, head: getComputedStyle(head).display,
                mapWidth: map.width, sheetWidth: sheet.width, mapInside: map.left >= sheet.left && map.right <= sheet.right + 0.5};
    }""")
    assert layout["row"] == "avoid" and layout["head"] == "table-header-group"  # no row split; header on every page
    assert abs(layout["sheetWidth"] - 190 * 96 / 25.4) < 2 and layout["mapInside"]
    # Every marker is inside the map's frame: the map was fitted to the points it numbers.
    outside = page.evaluate("""() => {
        const frame = document.querySelector('.print-map .lowcode-map').getBoundingClientRect();
        return [...document.querySelectorAll('.lowcode-number')].filter(n => {
            const b = n.getBoundingClientRect();
            return b.left < frame.left || b.right > frame.right || b.top < frame.top || b.bottom > frame.bottom;
        }).length;
    }""")
    assert outside == 0
    page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_print_button_prints_and_axe_finds_nothing_serious(browser: Any, print_site: str, axe_script: Path, lang: str) -> None:
    page = open_sheet(browser, print_site, f"lang={lang}")
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.get_by_role("button", name={"ja": "印刷する", "en": "Print"}[lang]).click()
    assert page.evaluate("() => window.__printed") == 1
    assert [v["id"] for v in run_axe(page, axe_script) if v["impact"] in BLOCKING] == []
    page.context.close()
