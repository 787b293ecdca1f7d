"""The .html page in headless Chromium (Debian's ``chromium``): it loads without errors, draws as
many nodes of each kind as the trace holds, a click collapses a subtree, a screenshot is taken.
Skipped where Chromium or Playwright is missing."""

import shutil
from pathlib import Path

import pytest

import backtrack as bt
from backtrack.viz.read import read_trace
from backtrack.viz.render_html import write_page
from problems.nqueens import STRATEGIES, build

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")


def test_page_draws_every_node_and_collapses_on_click(tmp_path):
    traces = []
    for name in ("feasibility", "forward-checking"):
        path = tmp_path / f"{name}.sqlite"
        bt.solve(build(6, name, "count"), STRATEGIES[name], "count", backend="python", trace=str(path))
        traces.append(read_trace(path))
    page_path = tmp_path / "trees.html"
    write_page(traces, page_path)
    expected = {}
    for trace in traces:
        for kind, count in trace.counts().items():
            expected[kind] = expected.get(kind, 0) + count
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=args)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 800})
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.route("http*://**", lambda route: (errors.append(route.request.url), route.abort()))
            page.goto(page_path.as_uri())
            assert errors == []
            for kind, count in expected.items():
                assert page.locator(f"[data-kind='{kind}']").count() == count, kind
            assert page.locator("[data-kind='collapsed']").count() == 0
            before = page.locator("svg[data-trace='1'] .node").count()
            page.locator("svg[data-trace='1'] [data-node='1']").click()
            assert page.locator("svg[data-trace='1'] [data-kind='collapsed']").count() == 1
            assert page.locator("svg[data-trace='1'] .node").count() < before
            page.locator("input[data-toggle='feasibility']").uncheck()
            assert page.locator("[data-kind='feasibility']:not(.hidden)").count() == 0
            page.locator("#replay").fill("10")
            assert page.locator("svg[data-trace='0'] .node").count() == 11
            shot = tmp_path / "page.png"
            page.screenshot(path=str(shot))
            assert shot.stat().st_size > 5000
        finally:
            browser.close()
