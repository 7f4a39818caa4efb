"""Every main page of every role, on a 360 px phone and a 1280 px desktop, checked by third-party
tools: axe-core finds no serious or critical violation, the W3C Nu validator no HTML error.

The tools come from npm (`make test` runs `npm ci`); on CI a missing tool fails the suite.
"""

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from tests.conftest import skip_or_fail
from tests.e2e.site_pages import ROLES, ROOT, crawl_role

pytestmark = pytest.mark.e2e

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WIDTHS = (360, 1280)
BLOCKING = {"serious", "critical"}


def tool(path, what: str):
    if not path.exists():
        skip_or_fail(f"{what} is missing at {path}: run `npm ci` (make test does)")
    return path


@pytest.fixture(scope="module")
def crawled(browser, demo_shop, tmp_path_factory):
    """Each role's pages, each run through axe at both widths; the served HTML saved to disk."""
    axe_source = tool(AXE, "axe-core").read_text()
    folder = tmp_path_factory.mktemp("pages")
    return {
        role: crawl_role(browser, demo_shop, role, axe_source, WIDTHS, folder) for role in ROLES
    }


@pytest.mark.parametrize("role", ROLES)
def test_axe_finds_no_serious_or_critical_violation(crawled, role):
    pages = crawled[role]
    assert len(pages) >= 5, [page.name for page in pages]
    problems = [
        f"{page.name} {page.url} @{width}px: [{v['impact']}] {v['id']}: {v['help']} "
        f"→ {[node['target'] for node in v['nodes']][:5]}"
        for page in pages
        for width, violations in page.violations.items()
        for v in violations
        if v["impact"] in BLOCKING
    ]
    assert not problems, "\n".join(problems)


def test_nu_validator_finds_no_html_error(crawled):
    """One JVM over every saved page: the validator takes seconds to start."""
    jar = tool(VNU, "the Nu HTML validator (npm vnu-jar)")
    java = shutil.which("java")
    if java is None:
        skip_or_fail("no `java` on PATH: the Nu validator needs a Java runtime")
    files = {str(page.html_path): page for pages in crawled.values() for page in pages}
    result = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    messages = json.loads(result.stderr)["messages"]
    errors = [
        f"{page.name} ({page.role}, {page.url}) line {m.get('lastLine')}: {m['message']}"
        f" | {m.get('extract', '').strip()[:120]}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
        for page in [files[m["url"].removeprefix("file:")]]
    ]
    assert len(files) >= 40
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors)


class AttributeValues(HTMLParser):
    """Every attribute of every tag, to find Python values printed into HTML."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value in ("None", "False", "True") and not name.startswith("data-"):
                self.found.append(f'<{tag} {name}="{value}">')


def test_no_python_value_is_printed_into_an_attribute(crawled):
    found = []
    for pages in crawled.values():
        for page in pages:
            parser = AttributeValues()
            parser.feed(page.html_path.read_text())
            found += [f"{page.name}: {attr}" for attr in parser.found]
    assert not found, found


def test_every_tappable_thing_is_44_px_on_a_phone(crawled):
    """WCAG 2.5.5 (enhanced) on phones: links and buttons at least 44 × 44 px, inline links in
    running text excepted (2.5.8's exception)."""
    small = [
        f"{page.name} ({page.role}): {target}"
        for pages in crawled.values()
        for page in pages
        for target in page.small_targets
    ]
    assert not small, "\n".join(small)


def test_the_sticky_header_takes_under_15_percent_of_a_phone_screen(crawled):
    tall = [
        f"{page.name} ({page.role}): {page.header_height}px"
        for pages in crawled.values()
        for page in pages
        if page.header_height > 0.15 * 740
    ]
    assert not tall, tall


def test_pages_with_a_scrolling_region_let_the_keyboard_scroll_it(crawled):
    """axe's scrollable-region-focusable is 'serious'; say it once more by name for the gallery."""
    product = next(page for page in crawled["anonymous"] if page.name == "product")
    rules = {v["id"] for violations in product.violations.values() for v in violations}
    assert "scrollable-region-focusable" not in rules
    assert re.search(r'class="gallery-track"[^>]*tabindex="0"', product.html_path.read_text())


def test_the_header_menu_opens_without_javascript_on_a_phone(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server + "/")
        log_in_link = page.locator(".header-nav a[href^='/auth/login']")
        assert not log_in_link.is_visible()
        page.keyboard.press("Tab")  # skip link
        page.focus(".header-menu > summary")
        page.keyboard.press("Enter")
        assert log_in_link.is_visible()
        log_in_link.click()
        page.wait_for_load_state()
        assert "/auth/login" in page.url
    finally:
        context.close()


def test_the_header_links_sit_in_one_row_on_a_desktop(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(live_server + "/")
        assert not page.locator(".header-menu > summary").is_visible()
        assert page.locator(".header-nav a[href^='/auth/login']").is_visible()
        assert page.evaluate("document.querySelector('.site-header').offsetHeight") <= 80
    finally:
        context.close()
