"""The map dashboard in a real headless Chromium (Debian's), driven by Playwright.

The browser is the system's ``chromium`` (``executable_path``), never a downloaded one; the app
is served by uvicorn on a free loopback port for the duration of the module.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from served import Service

from ceasefire.store import open_store
from ceasefire.web.app import create_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
#: Drawn under the map when ../shared/data is beside the repository (optional: the page works
#: without it, on the agreement's own geometry).
BASEMAP = (
    Path(__file__).resolve().parents[3]
    / "shared/data/geo/ne10m_admin0_deu_pov_ukraine_region.geojson"
)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def base_url(service: Service) -> Iterator[str]:
    """The app over the demo store, served on 127.0.0.1 for the browser."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(str(service.db), basemap=BASEMAP if BASEMAP.exists() else None)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no chromium at {CHROMIUM}: install Debian's chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


def _open(browser: object, url: str) -> object:
    page = browser.new_page(viewport={"width": 1280, "height": 860})  # type: ignore[attr-defined]
    page.goto(url)
    page.wait_for_function("document.body.dataset.ready !== undefined", timeout=20_000)
    assert page.evaluate("document.body.dataset.ready") == "true"
    return page


def test_analyst_view_loads_opens_a_panel_and_filters(
    browser: object, base_url: str, service: Service
) -> None:
    """The page loads the demo data; a click on a report opens its panel with a proof link; the
    activity filter changes what is drawn; a screenshot is kept as a test artefact."""
    page = _open(browser, f"{base_url}/#token={service.tokens['ana']}")
    assert "analyst" in page.inner_text("[data-testid=audience]")  # type: ignore[attr-defined]
    drawn = int(page.get_attribute("[data-testid=count]", "data-drawn"))  # type: ignore[attr-defined]
    assert drawn > 5
    assert page.locator(".coverage-gap").count() > 0  # type: ignore[attr-defined]
    # Dispatched on the marker itself: a click at its centre may land on a marker drawn over it.
    page.locator("path.report-marker").last.dispatch_event("click")  # type: ignore[attr-defined]
    page.wait_for_selector("[data-testid=panel]", state="visible")  # type: ignore[attr-defined]
    assert page.locator("[data-testid=proof-link]").count() == 1  # type: ignore[attr-defined]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-analyst.png"))  # type: ignore[attr-defined]
    incidents = page.locator("path.incident-marker")  # type: ignore[attr-defined]
    with open_store(service.db) as store:
        placed = [i for i in store.iter_incidents() if i.location is not None]
    assert incidents.count() == len(placed) > 0
    incidents.first.dispatch_event("click")
    page.wait_for_function("document.getElementById('panel-body').innerText.includes('finding')")  # type: ignore[attr-defined]
    panel = page.inner_text("[data-testid=panel]")  # type: ignore[attr-defined]
    assert "Incident:" in panel
    assert "finding" in panel  # each finding with its verdict, grade and reasons
    assert "independent sources" in panel
    page.select_option("[data-testid=activity]", "explosion")  # type: ignore[attr-defined]
    filtered = int(page.get_attribute("[data-testid=count]", "data-drawn"))  # type: ignore[attr-defined]
    assert 0 < filtered < drawn
    assert page.locator("path.report-marker").count() == filtered  # type: ignore[attr-defined]


def test_public_view_shows_no_sensor_or_observer_position(
    browser: object, base_url: str, service: Service
) -> None:
    """Without a token the page is the public's: no report markers, no coverage sectors, so no
    sensor or observer position reaches the browser at all."""
    page = _open(browser, base_url)
    assert "public" in page.inner_text("[data-testid=audience]")  # type: ignore[attr-defined]
    assert page.locator("path.report-marker").count() == 0  # type: ignore[attr-defined]
    assert page.locator(".coverage-gap, .coverage-observed").count() == 0  # type: ignore[attr-defined]
    # Only the verified incident, on its 1 km grid cell: what the public may see.
    public = service.get(None, "/api/v1/incidents").json()["items"]  # type: ignore[attr-defined]
    assert [item["state"] for item in public] == ["verified"]
    assert page.locator("path.incident-marker").count() == 1  # type: ignore[attr-defined]
    page.screenshot(path=str(ARTIFACTS / "dashboard-public.png"))  # type: ignore[attr-defined]
