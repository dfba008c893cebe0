"""The page in a real browser: the session broker, a worker and ``figurewatch serve`` as subprocesses, the
sample corpus fed in, then headless Chromium (Debian's, driven by Selenium through chromedriver) opens the
page, finds the table, the chart and a contradiction, sees one more news item arrive live without a reload,
and leaves a screenshot (its path is printed)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson
import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select, WebDriverWait

from streams.demo import SAMPLE_CORPUS
from streams.kafkaio import produce_lines, read_topic
from streams.metrics import drained, scrape
from streams.topics import FIGURES_CHANGES, NEWS_ITEMS
from tests.conftest import WorkerProcess
from tests.integration.support import corpus_lines

pytestmark = pytest.mark.browser

EXTRA_ITEM = {
    "id": "browser-extra-001", "published_at": "2025-02-10T10:00:00Z", "outlet": "Reuters",
    "url": "https://example.org/reuters/2025-02-10/gaza-toll", "title": "Gaza toll rises",
    "body": "The Gaza health ministry said on Monday that 48,200 people had been killed in the territory since "
            "October 7, 2023.",
}


@pytest.fixture
def browser(chromium_tools: tuple[Path, Path]) -> Iterator[WebDriver]:
    chromium, chromedriver = chromium_tools
    options = webdriver.ChromeOptions()
    options.binary_location = str(chromium)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(str(chromedriver)))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def _wait(driver: WebDriver, what: str, check: Callable[[WebDriver], object], timeout: float = 30) -> None:
    try:
        WebDriverWait(driver, timeout, poll_frequency=0.25).until(check)
    except WebDriverException as exc:
        logs = [entry["message"] for entry in driver.get_log("browser")]
        raise AssertionError(f"the page never showed {what} ({type(exc).__name__}); browser log: {logs}") from exc


def _stored_changes(serve: WorkerProcess) -> int:
    return int(serve.metric("figurewatch_serve_changes_stored"))


def test_the_page_shows_figures_chart_contradictions_and_live_updates(
    start_worker: Callable[..., WorkerProcess], start_serve: Callable[..., WorkerProcess], browser: WebDriver,
    tmp_path: Path,
) -> None:
    worker = start_worker()
    serve = start_serve()
    settings = worker.settings
    sent = produce_lines(settings, settings.topic(NEWS_ITEMS.name), corpus_lines(SAMPLE_CORPUS))
    metrics_url = f"http://127.0.0.1:{worker.web_port}/metrics"
    deadline = time.monotonic() + 150
    while not drained(scrape(metrics_url), sent) and time.monotonic() < deadline:
        time.sleep(0.5)
    emitted = {m.json_value()["event_id"] for m in read_topic(settings, settings.topic(FIGURES_CHANGES.name))}  # type: ignore[index]
    while _stored_changes(serve) < len(emitted) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _stored_changes(serve) == len(emitted) > 100, serve.log_tail()

    browser.get(f"http://127.0.0.1:{serve.web_port}/")
    _wait(browser, "rows of current figures", lambda d: d.find_elements(By.CSS_SELECTOR, "#figures tbody tr"))
    _wait(browser, "the chart", lambda d: d.find_elements(By.CSS_SELECTOR, "#chart canvas"))
    _wait(browser, "a contradicted series", lambda d: d.find_elements(By.CSS_SELECTOR, "#figures tr.contradicted"))
    _wait(browser, "a contradiction in the feed",
          lambda d: d.find_elements(By.CSS_SELECTOR, "#feed li[data-kind=contradiction]"))
    _wait(browser, "the live stream connected", lambda d: "on" in d.find_element(By.ID, "live").get_attribute("class"))
    conflicts = orjson.loads(serve.wait_http("/api/conflicts", timeout=10))["conflicts"]
    busiest = max(conflicts, key=lambda c: (c["contradictions"], c["changes"]))["conflict"]
    opened = browser.find_element(By.ID, "conflict").get_attribute("value")
    assert opened == busiest, "the page opens on the conflict with the most contradictions"
    if opened != "israel-hamas":  # the checks below follow the Gaza series the extra item updates
        Select(browser.find_element(By.ID, "conflict")).select_by_value("israel-hamas")
        _wait(browser, "the Gaza series", lambda d: d.find_elements(By.CSS_SELECTOR, "#figures tr.contradicted"))
    contradiction = browser.find_element(By.CSS_SELECTOR, "#feed li[data-kind=contradiction] .text").text
    assert "cannot" in contradiction, contradiction
    legend = browser.find_element(By.CSS_SELECTOR, "#chart .u-legend").text.lower()
    assert "contradiction" in legend and "revision" in legend, legend
    marked = browser.execute_script(
        "const plot = window.figurewatch.plot;"
        "const i = plot.series.findIndex((s) => s.label === 'contradiction');"
        "return plot.data[i].filter((v) => v !== null).length;")
    assert marked >= 1, "the charted series (a contradicted one) has its contradiction marked"

    browser.execute_script("window.figurewatchNotReloaded = true;")
    table_before = browser.execute_script("return document.querySelector('#figures tbody').textContent")
    produce_lines(worker.settings, worker.settings.topic(NEWS_ITEMS.name), [orjson.dumps(EXTRA_ITEM)])
    _wait(browser, "the new change in the feed",
          lambda d: "48,200" in d.execute_script("return document.querySelector('#feed li').textContent"), timeout=60)
    _wait(browser, "the new figure in the table",
          lambda d: "48,200" in d.execute_script("return document.querySelector('#figures tbody').textContent"))
    assert browser.execute_script("return window.figurewatchNotReloaded === true;"), "the page reloaded"
    assert "48,200" not in table_before
    newest = browser.find_element(By.CSS_SELECTOR, "#feed li")
    assert newest.get_attribute("data-kind") == "update", newest.text
    assert newest.find_element(By.PARTIAL_LINK_TEXT, "article").get_attribute("href").startswith(EXTRA_ITEM["url"])

    browser.set_window_size(1400, min(2400, browser.execute_script("return document.body.scrollHeight") + 120))
    screenshot = tmp_path / "figurewatch-page.png"
    assert browser.save_screenshot(str(screenshot))
    browser.set_window_size(390, 1800)
    _wait(browser, "a page that fits a phone's width without scrolling sideways",
          lambda d: d.execute_script("return document.documentElement.scrollWidth <= window.innerWidth"), timeout=5)
    phone = tmp_path / "figurewatch-page-phone.png"
    assert browser.save_screenshot(str(phone))
    print(f"\nscreenshots: {screenshot} {phone}")
