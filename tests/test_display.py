"""Rich display of pictures: fitted to the notebook, readable, full size one click away."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from archkit.colors import AA, contrast, passing_fill, passing_text
from archkit.display import fit_svg, svg_figure_html, svg_mimebundle
from archkit.svgmetrics import measure

WIDE = ('<?xml version="1.0"?>\n<svg width="2400pt" height="600pt" viewBox="0 0 2400 600" '
        'xmlns="http://www.w3.org/2000/svg"><g font-size="9"><text x="1" y="10">small</text>'
        '</g><text x="1" y="40" font-size="20">big</text></svg>')
NARROW = ('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100" font-size="12">'
          '<text x="1" y="10">hi</text></svg>')


def test_measure_reads_units_viewbox_and_inherited_fonts():
    size = measure(WIDE)
    assert size.width == pytest.approx(3200)  # 2400pt in CSS px
    assert (size.view_width, size.min_font) == (2400, 9)
    assert size.shown(1000) == (pytest.approx(3200), pytest.approx(12))  # not fitted
    assert measure(NARROW).min_font == 12


def test_fit_svg_scales_width_and_height_together_and_keeps_the_rest():
    fitted = fit_svg(WIDE)
    root = ET.fromstring(fitted.split("\n", 1)[1])
    assert root.get("width") == "1000px" and root.get("height") == "250px"
    assert root.get("viewBox") == "0 0 2400 600"
    assert "max-width:100%" in root.get("style")
    width, smallest = measure(fitted).shown(1000)
    assert width == 1000 and smallest == pytest.approx(9 * 1000 / 2400)
    assert fitted.startswith("<?xml")  # still a standalone SVG document
    assert fit_svg(NARROW).count('width="300px"') == 1  # small pictures keep their size


def test_figure_html_has_one_svg_and_a_script_free_full_size_toggle():
    html = svg_figure_html(WIDE)
    assert html.count("<svg") == 1 and "<script" not in html and "<?xml" not in html
    assert "<details>" in html and "<summary" in html and "Full size (3200 × 800 px)" in html
    fid = re.search(r'id="(ak-[0-9a-f]+)"', html).group(1)
    assert f"#{fid} > details[open] ~ div > svg {{width:3200px" in html
    assert measure(html).shown(1000)[0] == 1000
    assert "<details>" not in svg_figure_html(NARROW)  # nothing to zoom into


def test_mimebundle_offers_html_and_a_fitted_svg():
    bundle = svg_mimebundle(WIDE, "a picture")
    assert set(bundle) == {"text/html", "image/svg+xml", "text/plain"}
    assert measure(bundle["image/svg+xml"]).shown(1000)[0] == 1000
    assert bundle["text/plain"] == "a picture"


@pytest.mark.parametrize(("text", "fill"), [("#ffffff", "#438dd5"), ("#ffffff", "#999999"),
                                            ("#000000", "#08427b"), ("white", "#dddddd")])
def test_suggested_colours_pass_aa(text, fill):
    assert contrast(text, fill) < AA
    assert contrast(passing_text(text, fill), fill) >= AA
    assert contrast(text, passing_fill(text, fill)) >= AA


def test_contrast_matches_wcag_reference_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#ffffff", "#767676") == pytest.approx(4.54, abs=0.01)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1)


def test_suggestions_are_the_nearest_passing_colour_not_just_any():
    assert passing_fill("#ffffff", "#999999") == "#767676"  # the well-known AA grey
    assert passing_fill("#ffffff", "#438dd5") not in ("#000000", "#ffffff")
    assert passing_text("#ffffff", "#438dd5") not in ("#000000",)
