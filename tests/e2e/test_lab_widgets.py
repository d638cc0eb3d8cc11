"""What a person sees in JupyterLab: the C4 view as a picture, a ranking that follows its sliders.

Contract with the stage notebooks:

* the C4 notebook (``*c4*.ipynb``) shows at least one rendered diagram (an SVG output);
* the brainstorming notebook (``*brainstorm*.ipynb``) shows a decision widget whose
  ranking is ``<ol class="archkit-ranking">`` with ``<li data-option="NAME">`` in rank
  order, and whose weight sliders are ipywidgets sliders described by criterion name.
"""

from __future__ import annotations

import time
import urllib.parse

import pytest
from lab_harness import (
    BRAINSTORM_NOTEBOOK,
    C4_NOTEBOOK,
    notebooks_source,
    record_run,
    skip_or_fail,
)

SVG_OUTPUTS = (
    '.jp-OutputArea-output[data-mime-type="image/svg+xml"] img, '
    ".jp-OutputArea-output svg.archkit-diagram, "
    '.jp-OutputArea-output[data-mime-type="text/html"] svg'
)


def stage_notebook(pattern: str) -> str:
    found = sorted(p.name for p in notebooks_source().glob(pattern))
    if not found:
        skip_or_fail(f"no notebook matching {pattern} yet")
    return found[0]


def run_clean(lab, page, notebook: str) -> None:
    lab.open(page, notebook)
    started = time.monotonic()
    lab.run_all(page)
    problems = lab.problems(page)
    record_run(notebook, time.monotonic() - started, problems)
    assert problems == [], f"{notebook} shows errors in JupyterLab"


def svg_text(page, handle) -> str:
    """The SVG source of an inline ``svg`` or of an ``img`` with a data: URL."""
    tag = handle.evaluate("e => e.tagName.toLowerCase()")
    if tag == "svg":
        return handle.evaluate("e => e.outerHTML")
    src = handle.get_attribute("src") or ""
    head, _, body = src.partition(",")
    assert head.startswith("data:image/svg+xml"), f"diagram image is not inline SVG: {head}"
    return urllib.parse.unquote(body)


def test_c4_notebook_shows_a_visible_diagram(lab, page):
    notebook = stage_notebook(C4_NOTEBOOK)
    run_clean(lab, page, notebook)
    diagrams = page.locator(SVG_OUTPUTS)
    assert diagrams.count() > 0, f"{notebook} shows no SVG output"
    first = diagrams.first
    first.scroll_into_view_if_needed()
    assert first.is_visible()
    box = first.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100, f"diagram too small: {box}"
    if first.evaluate("e => e.tagName.toLowerCase()") == "img":
        assert first.evaluate("e => e.complete && e.naturalWidth > 0"), "diagram image broken"
    text = svg_text(page, first.element_handle())
    assert "<svg" in text and "Shopfront" in text, "the diagram does not show the example"


DIAGRAM_SIZES = """svgs => svgs.map(s => {
    const box = s.getBoundingClientRect();
    const area = s.closest('.jp-OutputArea-output').getBoundingClientRect();
    const view = s.viewBox && s.viewBox.baseVal ? s.viewBox.baseVal.width : box.width;
    const fonts = [...s.querySelectorAll('text')].map(t => parseFloat(
        t.getAttribute('font-size') || getComputedStyle(t).fontSize));
    return [box.width, area.width, Math.min(...fonts) * box.width / (view || box.width)];
})"""


def test_c4_notebook_diagrams_fit_the_output_and_read_at_8px(lab, page):
    notebook = stage_notebook(C4_NOTEBOOK)
    run_clean(lab, page, notebook)
    svgs = '.jp-OutputArea-output[data-mime-type="text/html"] .archkit-figure svg'
    sizes = page.eval_on_selector_all(svgs, DIAGRAM_SIZES)
    assert len(sizes) >= 6, f"{notebook}: too few fitted diagrams ({len(sizes)})"
    for width, area, smallest in sizes:
        assert width <= min(area, 1000) + 1, f"diagram {width:.0f} px in a {area:.0f} px output"
        assert smallest >= 8, f"smallest text {smallest:.1f} px"
    # The full-size toggle: no script, the same picture at its natural size, scrolled.
    toggle = page.locator(".archkit-figure > details > summary").first
    toggle.scroll_into_view_if_needed()
    figure = toggle.locator("xpath=../..")
    before = figure.locator("svg").bounding_box()["width"]
    toggle.click()
    after = figure.locator("svg").bounding_box()["width"]
    assert after > before + 50, f"full size did not open: {before:.0f} -> {after:.0f} px"


RANKING = "ol.archkit-ranking"


def ranking(page) -> list[str]:
    return page.eval_on_selector(
        RANKING, "ol => [...ol.querySelectorAll('li[data-option]')].map(li => li.dataset.option)"
    )


def weight_sliders(page) -> list[tuple[str, object]]:
    """(criterion, slider widget) for every ipywidgets slider on screen."""
    found = []
    for slider in page.locator(".widget-slider").all():
        label = slider.locator(".widget-label").first
        name = (label.text_content() or "").strip()
        if name and slider.is_visible():
            found.append((name, slider))
    return found


def model_ranking(page, shown: list[str]) -> list[str] | None:
    """The worked example's ranking for the weights on screen (None: not an example decision)."""
    from archkit.brainstorm.load import load_decisions
    from archkit.brainstorm.matrix import evaluate
    from archkit.examples import example_dir

    weights = {name: float(slider_value(s)) for name, s in weight_sliders(page)}
    for decision in load_decisions(example_dir("order-platform") / "decisions.yaml").decisions:
        if (set(decision.criterion_names) == set(weights)
                and {o.name for o in decision.options} == set(shown)):
            return evaluate(decision, weights).ranking
    return None


def slider_value(slider) -> str:
    return slider.locator(".widget-readout").first.inner_text().strip()


def test_moving_a_weight_slider_reranks_the_options(lab, page):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    notebook = stage_notebook(BRAINSTORM_NOTEBOOK)
    run_clean(lab, page, notebook)
    page.wait_for_selector(RANKING)
    page.locator(RANKING).first.scroll_into_view_if_needed()
    before = ranking(page)
    assert len(before) >= 2, f"the ranking shows fewer than two options: {before}"
    sliders = weight_sliders(page)
    assert sliders, "no weight sliders on screen"

    # Push one criterion's weight to its far end, one criterion after another, until
    # the order on screen changes; with real scores some criterion flips the ranking.
    moved = []
    for name, slider in sliders:
        handle = slider.locator(".noUi-handle").first
        now, low, high = (float(handle.get_attribute(a) or 0) for a in
                          ("aria-valuenow", "aria-valuemin", "aria-valuemax"))
        handle.focus()
        handle.press("End" if high - now >= now - low else "Home")
        moved.append(f"{name}: {now:g} -> {slider_value(slider)}")
        try:
            page.wait_for_function(
                """([sel, old]) => {
                    const ol = document.querySelector(sel);
                    const now = ol ? [...ol.querySelectorAll('li[data-option]')]
                        .map(li => li.dataset.option) : [];
                    return now.length && JSON.stringify(now) !== JSON.stringify(old);
                }""",
                arg=[RANKING, before], timeout=4_000,
            )
        except PlaywrightTimeout:  # this move did not change the order; try the next
            continue
        after = ranking(page)
        assert sorted(after) == sorted(before), "re-ranking lost or invented options"
        assert after != before
        expected = model_ranking(page, after)
        if expected is not None:
            assert after == expected, "the screen's order is not the model's for these weights"
        return
    pytest.fail(f"moved sliders ({', '.join(moved)}) but the ranking on screen never changed: "
                f"{before}")


def _press_until(page, slider, key: str, winner: str) -> None:
    handle = slider.locator(".noUi-handle").first
    handle.focus()
    handle.press(key)
    page.wait_for_function(
        """([sel, want]) => {
            const li = document.querySelector(sel + ' li[data-option]');
            return li && li.dataset.option === want;
        }""", arg=[RANKING, winner], timeout=10_000)


def _click_record(page, expect: str) -> str:
    page.locator("button:has-text('record decision')").first.click()
    status = page.locator(".widget-html:has-text('.md:')").last
    status.wait_for(timeout=30_000)
    page.wait_for_function(
        "(want) => [...document.querySelectorAll('.widget-html')]"
        ".some(e => e.textContent.includes(want))", arg=expect, timeout=30_000)
    return status.inner_text()


def test_record_button_writes_what_the_screen_shows(lab, page):
    """Move a weight until another option wins, click "record decision", read the ADR on
    disk; then accept it (as a person would) and flip back: a new ADR supersedes it."""
    from archkit.adr import AdrStore

    notebook = stage_notebook(BRAINSTORM_NOTEBOOK)
    run_clean(lab, page, notebook)
    page.wait_for_selector(RANKING)
    page.locator(RANKING).first.scroll_into_view_if_needed()
    assert ranking(page)[0] == "Kafka"
    sliders = dict(weight_sliders(page))
    ops = sliders["Operational load"]
    folder = lab.out / "01_brainstorming" / "decisions"
    _press_until(page, ops, "End", "Amazon SQS (FIFO) + SNS")       # weight 10
    message = _click_record(page, "rewritten")
    print(f"\nbrowser, record after the flip: {message}")
    store = AdrStore(folder)
    adr = store.get(4)
    assert adr.chosen == "Amazon SQS (FIFO) + SNS" and adr.status_kind == "proposed"
    assert "amazon-sqs" in adr.file and not list(folder.glob("0004-*kafka.md"))
    store.accept(4)                                                  # a person accepts it
    _press_until(page, ops, "Home", "Kafka")                         # weight 0
    message = _click_record(page, "supersedes")
    print(f"browser, record after accepting and flipping back: {message}")
    store = AdrStore(folder)
    old, new = store.get(4), store.get(5)
    assert new.chosen == "Kafka" and [link.target for link in new.links] == [4]
    assert old.status_kind == "superseded" and old.superseded_by == [5]
    assert old.chosen == "Amazon SQS (FIFO) + SNS"
