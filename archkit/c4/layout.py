"""Read Graphviz's own layout (``dot -Tjson``) and judge it: crossings, ranks, label overlaps.

Usage::

    layout = Layout.parse(run_dot(diagram.dot, "json"))
    layout.crossings()                 # edge crossings, from the drawn splines
    layout.labels_over_nodes()         # edge labels that cover a node
    layout.people_below(["customer"])  # people not on the first rank of the layout

Everything here reads positions Graphviz computed; nothing guesses a layout.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from itertools import combinations

__all__ = ["Layout", "Box"]

Point = tuple[float, float]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1 (Graphviz points, y up)


@dataclass
class Layout:
    """Nodes (boxes), edges (polylines), edge-label boxes and the drawing's size."""

    width: float
    height: float
    rankdir: str
    nodes: dict[str, Box] = field(default_factory=dict)
    edges: list[tuple[str, str, list[Point]]] = field(default_factory=list)
    labels: list[tuple[str, Box]] = field(default_factory=list)

    @classmethod
    def parse(cls, data: bytes | str) -> Layout:
        doc = json.loads(data)
        bb = [float(v) for v in doc.get("bb", "0,0,0,0").split(",")]
        out = cls(bb[2] - bb[0], bb[3] - bb[1], str(doc.get("rankdir", "TB")).upper())
        names: dict[int, str] = {}
        for obj in doc.get("objects", []):
            names[obj["_gvid"]] = obj["name"]
            if "pos" not in obj or obj["name"] == "legend":
                continue
            x, y = (float(v) for v in obj["pos"].split(","))
            w, h = float(obj["width"]) * 72 / 2, float(obj["height"]) * 72 / 2
            out.nodes[obj["name"]] = (x - w, y - h, x + w, y + h)
        for edge in doc.get("edges", []):
            tail, head = names.get(edge["tail"], ""), names.get(edge["head"], "")
            points: list[Point] = []
            for op in edge.get("_draw_", []):
                if op.get("op") == "b":
                    points += _bezier([tuple(p) for p in op["points"]])
            out.edges.append((tail, head, points))
            box = _label_box(edge.get("_ldraw_", []))
            if box is not None:
                out.labels.append((f"{tail}->{head}", box))
        return out

    def crossings(self) -> int:
        """Points where two edges' drawn lines cross (not where they meet at a node)."""
        count = 0
        boxes = list(self.nodes.values())
        for (_, _, a), (_, _, b) in combinations(self.edges, 2):
            for p in _intersections(a, b):
                if not any(_inside(p, box, 2.0) for box in boxes):
                    count += 1
        return count

    def labels_over_nodes(self) -> list[tuple[str, str]]:
        """(edge, node) pairs where an edge label's box overlaps a node's box."""
        return [(edge, name) for edge, box in self.labels
                for name, node in self.nodes.items() if _overlap(box, node)]

    def people_below(self, people: list[str]) -> int:
        """How many people are not on the layout's first rank (top for TB, left for LR...)."""
        shown = [p for p in people if p in self.nodes]
        others = [box for name, box in self.nodes.items() if name not in people]
        if not shown or not others:
            return 0
        first = min(_rank_key(box, self.rankdir) for box in others)
        return sum(1 for p in shown if _rank_key(self.nodes[p], self.rankdir) > first + 1)


    def people_lower(self, people: list[str]) -> int:
        """How many people sit lower on the page than some other element (whatever the rankdir)."""
        tops = [(b[1] + b[3]) / 2 for n, b in self.nodes.items() if n not in people]
        if not tops:
            return 0
        highest = max(tops)
        return sum(1 for p in people if p in self.nodes
                   and (self.nodes[p][1] + self.nodes[p][3]) / 2 < highest - 1)


def _rank_key(box: Box, rankdir: str) -> float:
    """The box's centre along the rank axis, growing away from the first rank."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return {"TB": -cy, "BT": cy, "LR": cx, "RL": -cx}.get(rankdir, -cy)


def _bezier(ctrl: list[Point], steps: int = 8) -> list[Point]:
    """A polyline through a piecewise cubic Bezier (Graphviz's 'b' points)."""
    pts: list[Point] = [ctrl[0]]
    for i in range(0, len(ctrl) - 3, 3):
        p0, p1, p2, p3 = ctrl[i:i + 4]
        for s in range(1, steps + 1):
            t = s / steps
            u = 1 - t
            pts.append((u ** 3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0]
                        + t ** 3 * p3[0],
                        u ** 3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1]
                        + t ** 3 * p3[1]))
    return pts


def _intersections(a: list[Point], b: list[Point]) -> list[Point]:
    found: list[Point] = []
    if not a or not b or not _overlap(_bounds(a), _bounds(b)):
        return found
    for p1, p2 in zip(a, a[1:], strict=False):
        if not _overlap(_bounds([p1, p2]), _bounds(b)):
            continue
        for q1, q2 in zip(b, b[1:], strict=False):
            if (max(p1[0], p2[0]) < min(q1[0], q2[0]) or max(q1[0], q2[0]) < min(p1[0], p2[0])
                    or max(p1[1], p2[1]) < min(q1[1], q2[1])
                    or max(q1[1], q2[1]) < min(p1[1], p2[1])):
                continue
            hit = _segment_hit(p1, p2, q1, q2)
            if hit is not None and not any(abs(hit[0] - f[0]) < 3 and abs(hit[1] - f[1]) < 3
                                           for f in found):
                found.append(hit)
    return found


def _bounds(points: list[Point]) -> Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs) - 0.01, min(ys) - 0.01, max(xs) + 0.01, max(ys) + 0.01


def _segment_hit(p1: Point, p2: Point, q1: Point, q2: Point) -> Point | None:
    d = (p2[0] - p1[0]) * (q2[1] - q1[1]) - (p2[1] - p1[1]) * (q2[0] - q1[0])
    if abs(d) < 1e-9:
        return None
    t = ((q1[0] - p1[0]) * (q2[1] - q1[1]) - (q1[1] - p1[1]) * (q2[0] - q1[0])) / d
    u = ((q1[0] - p1[0]) * (p2[1] - p1[1]) - (q1[1] - p1[1]) * (p2[0] - p1[0])) / d
    if 0 <= t <= 1 and 0 <= u <= 1:
        return p1[0] + t * (p2[0] - p1[0]), p1[1] + t * (p2[1] - p1[1])
    return None


def _inside(p: Point, box: Box, margin: float = 0.0) -> bool:
    return box[0] - margin <= p[0] <= box[2] + margin and box[1] - margin <= p[1] <= box[3] + margin


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _label_box(ops: list[dict]) -> Box | None:
    """The box around an edge label's text runs (from its ``_ldraw_`` operations)."""
    size = 10.0
    boxes: list[Box] = []
    for op in ops:
        if op.get("op") == "F":
            size = float(op.get("size", size))
        elif op.get("op") == "T":
            x, y = op["pt"]
            w = float(op.get("width", 0))
            x0 = {"l": x, "r": x - w}.get(op.get("align", "c"), x - w / 2)
            boxes.append((x0, y - size * 0.25, x0 + w, y + size * 0.8))
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))
