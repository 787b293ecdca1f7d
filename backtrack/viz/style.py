"""Colours, shapes and names of what a tree drawing shows, shared by the PNG/SVG and HTML renderers.

Gist's shapes: a choice (expanded node) is a circle, a failure a square, a solution a diamond.
Each pruning kind has its own colour (Okabe-Ito palette: readable with colour-blindness).
"""

COLOURS = {
    "expanded": "#0072B2",  # blue
    "solution": "#009E73",  # green
    "feasibility": "#D55E00",  # vermilion
    "bound": "#E69F00",  # orange
    "propagation": "#CC79A7",  # purple-pink
    "dominance": "#56B4E9",  # sky blue
    "rejected": "#7F7F7F",  # grey: a complete assignment the leaf check refused
    "not_better": "#B8A000",  # olive: a complete assignment no better than the incumbent
    "symmetry": "#6A3D9A",  # violet (values not offered)
    "ordering": "#999999",
    "root": "#0072B2",
}
SHAPES = {"expanded": "circle", "root": "circle", "solution": "diamond"}  # every other outcome: square
NAMES = {
    "expanded": "expanded",
    "solution": "solution",
    "feasibility": "cut: feasibility",
    "bound": "cut: bound",
    "propagation": "cut: propagation",
    "dominance": "cut: dominance",
    "rejected": "leaf refused (accept)",
    "not_better": "leaf not better",
}
LEGEND_ORDER = ("expanded", "solution", "feasibility", "bound", "propagation", "dominance", "rejected", "not_better")
NOT_OFFERED_ORDER = ("propagation", "feasibility", "symmetry", "ordering")


def shape(kind):
    return SHAPES.get(kind, "square")
