"""The sensitivity chart: a well-formed SVG with a line per option and the flip point marked."""

import xml.etree.ElementTree as ET

import pytest

from archkit.brainstorm.chart import sensitivity_chart
from archkit.brainstorm.decision import Criterion, Decision, Option
from archkit.brainstorm.load import load_decisions
from archkit.errors import ArchkitError

NS = {"s": "http://www.w3.org/2000/svg"}
HOSTILE = '<script>alert("x")</script> & "quotes"'


def test_chart_marks_the_flip_point_where_the_lines_cross(example):
    broker = load_decisions(example / "decisions.yaml")["message-broker"]
    chart = sensitivity_chart(broker, "Operational load")
    root = ET.fromstring(chart.svg)
    lines = root.findall("s:polyline", NS)
    assert [p.get("data-option") for p in lines] == broker.option_names
    flips = root.findall("s:line[@class='archkit-flip']", NS)
    assert [f.get("data-weight") for f in flips] == ["6"]
    # At the flip's x position Kafka's and SQS's curves meet (same y, within a pixel).
    fx = float(flips[0].get("x1"))

    def y_at(option):
        pts = [tuple(map(float, p.split(","))) for p in
               root.find(f"s:polyline[@data-option='{option}']", NS).get("points").split()]
        return min(pts, key=lambda p: abs(p[0] - fx))[1]

    assert abs(y_at("Kafka") - y_at("Amazon SQS (FIFO) + SNS")) < 1.5
    assert "6: Amazon SQS (FIFO) + SNS" in chart.svg
    shown = chart._repr_mimebundle_()["image/svg+xml"]  # fitted to the notebook, same picture
    assert shown.replace(' width="640px" height="320px" style="max-width:100%;height:auto"', ""
                         ) == chart.svg.replace(' width="640" height="320"', "")


def test_chart_labels_are_escaped_and_unknown_criterion_refused():
    d = Decision(question="q", criteria=[Criterion(HOSTILE, 1), Criterion("B", 1)],
                 options=[Option(HOSTILE, {HOSTILE: 5, "B": 1}), Option("Y", {HOSTILE: 1, "B": 4})])
    svg = sensitivity_chart(d, HOSTILE).svg
    ET.fromstring(svg)  # still well-formed XML
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    with pytest.raises(ArchkitError, match="no criterion 'Nope'"):
        sensitivity_chart(d, "Nope")
