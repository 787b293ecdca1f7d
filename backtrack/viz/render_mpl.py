"""PNG and SVG drawings of traces with matplotlib: node-link trees side by side on one scale, or,
for traces too big for that, pixel trees or icicles (:mod:`backtrack.viz.render_pixel`)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Polygon  # noqa: E402

from backtrack.viz import layout as lay  # noqa: E402
from backtrack.viz.style import COLOURS, LEGEND_ORDER, NAMES, NOT_OFFERED_ORDER, shape  # noqa: E402

MARKERS = {"circle": "o", "square": "s", "diamond": "D"}
NODE_BUDGET = 250  # drawn nodes per trace that a node-link picture keeps readable (failed subtrees collapse)
PIXEL_ABOVE = 2000  # --view auto: nodes of the biggest trace above which the pixel tree is drawn (README)
GHOST_BUDGET = 80  # drawn nodes per trace up to which each node shows how many values it did not offer
LABEL_BUDGET = 40  # drawn nodes per trace up to which decisions are written beside the nodes
LABEL_POINTS = 5.5  # font size of the decision labels
CHAR_WIDTH = 0.6  # average character width of the label font, in units of its size


def legend_entries(trace):
    """(kind, text) for each outcome present, with the counts of the whole trace."""
    counts = trace.counts()
    entries = []
    for kind in LEGEND_ORDER:
        if counts.get(kind):
            entries.append((kind, f"{NAMES[kind]}: {counts[kind]}"))
    return entries, trace.not_offered()


def chosen_view(traces, view):
    """The view ``auto`` stands for: the node-link tree up to PIXEL_ABOVE nodes per trace."""
    if view != "auto":
        return view
    return "tree" if max(t.size for t in traces) <= PIXEL_ABOVE else "pixel"


def draw(traces, out, view="auto", threshold=None):
    """Draw ``traces`` into ``out`` (.png or .svg); ``view`` is auto, tree, pixel or icicle."""
    view = chosen_view(traces, view)
    if view != "tree":
        from backtrack.viz.render_pixel import draw as draw_pixels

        draw_pixels(traces, out, view)
        return view
    thresholds = [threshold if threshold is not None else lay.choose_threshold(t, NODE_BUDGET) for t in traces]
    layouts = [lay.layout(t, th) for t, th in zip(traces, thresholds, strict=True)]
    figure = _node_link(traces, layouts)
    figure.savefig(out, dpi=110)
    plt.close(figure)
    return view


def _title(trace):
    stats = trace.meta.get("stats", {})
    found = (
        f"count {trace.meta['count']}"
        if trace.meta.get("goal") == "count"
        else f"{stats.get('solutions', 0)} solutions"
    )
    line = f"{trace.title}\n{stats.get('nodes', trace.size - 1)} nodes, {found}"
    if trace.meta.get("truncated"):
        line += f" (first {trace.size} recorded)"
    return line


def _node_link(traces, layouts):
    widths = [max(layout.width, 3) for layout in layouts]
    depth = max(int(t.depth.max()) for t in traces)
    unit = min(0.32, max(0.06, 20 / sum(widths)))  # inches per column, the same in every panel
    fig_width = max(6.0, min(24.0, unit * sum(widths) + 1.5 * len(traces)))
    fig_height = 2.4 + 0.7 * (depth + 1)
    figure, axes = plt.subplots(
        1, len(traces), figsize=(fig_width, fig_height), gridspec_kw={"width_ratios": widths}, squeeze=False
    )
    for ax, trace, layout in zip(axes[0], traces, layouts, strict=True):
        _draw_tree(ax, trace, layout, unit)
        ax.set_xlim(-1, max(layout.width, 3))
        ax.set_ylim(depth + 0.8, -0.6)
        ax.set_title(_title(trace), fontsize=10)
        ax.set_xticks([])
        ax.set_yticks(range(depth + 1))
        ax.set_ylabel("depth" if ax is axes[0][0] else "")
        for side in ("top", "right", "bottom"):
            ax.spines[side].set_visible(False)
        _legend(ax, trace)
    figure.tight_layout()
    for ax, trace, layout in zip(axes[0], traces, layouts, strict=True):
        if len(layout.nodes) <= LABEL_BUDGET:
            _draw_labels(ax, trace, layout)
    return figure


def _draw_labels(ax, trace, layout):
    """Decision labels, once the axes have their final size (the room between nodes is measured on it)."""
    left, right = ax.get_xlim()
    column_points = ax.get_window_extent().width * 72 / ax.figure.dpi / (right - left)
    for node, text in fitting_labels(trace, layout, column_points).items():
        ax.text(layout.x[node], layout.y[node] - 0.22, text, ha="center", fontsize=LABEL_POINTS, zorder=4)


def _draw_tree(ax, trace, layout, unit):
    x, y = layout.x, layout.y
    points = len(layout.nodes)
    size = max(9.0, min(70.0, (unit * 72 * 0.7) ** 2))  # marker area in points^2, shrinking with columns
    for node, parent in layout.parent.items():
        ax.plot([x[parent], x[node]], [y[parent], y[node]], color="#B0B0B0", linewidth=0.7, zorder=1)
    by_kind = {}
    for node in layout.nodes:
        if node in layout.collapsed:
            continue
        by_kind.setdefault(trace.kind(node), []).append(node)
    for kind, nodes in by_kind.items():
        ax.scatter(
            [x[n] for n in nodes],
            [y[n] for n in nodes],
            s=size * (1.3 if kind == "solution" else 1.0),
            marker=MARKERS[shape(kind)],
            color=COLOURS.get(kind, "#333333"),
            edgecolors="white",
            linewidths=0.4,
            zorder=3,
        )
    for node, (count, kinds) in layout.collapsed.items():
        cuts = {k: v for k, v in kinds.items() if k not in ("expanded", "root")}
        main = max(cuts, key=cuts.get) if cuts else "rejected"  # coloured by the kind that cut most in it
        half = 0.45
        ax.add_patch(
            Polygon(
                [(x[node], y[node]), (x[node] - half, y[node] + 0.8), (x[node] + half, y[node] + 0.8)],
                closed=True,
                facecolor=COLOURS.get(main, "#999999"),
                edgecolor="none",
                alpha=0.75,
                zorder=2,
            )
        )
        ax.text(x[node], y[node] + 0.88, str(count), ha="center", va="top", fontsize=5.5, rotation=90, color="#333333")
    if points <= GHOST_BUDGET:
        for node in layout.nodes:
            missing = trace.info[node].get("not_offered")
            if missing and node not in layout.collapsed:
                kind = max(missing, key=missing.get)
                ax.text(
                    x[node] + 0.25,
                    y[node] + 0.3,
                    f"−{sum(missing.values())}",
                    fontsize=6,
                    color=COLOURS.get(kind, "#666666"),
                    zorder=4,
                )


def _label_forms(label):
    """The decision's label, then shorter forms of it: "row 2 = col 5" -> "col 5", "take item 7 (p 31)" ->
    "take item 7"."""
    full = label.split(" [")[0]
    forms = [full]
    if " = " in full:
        forms.append(full.rsplit(" = ", 1)[1])
    if " (" in full:
        forms.append(full.split(" (")[0])
    return forms


def fitting_labels(trace, layout, column_points):
    """{node: text} for the nodes whose label (or a shorter form) fits between its neighbours on the
    same row; a label that fits in no form is left out rather than drawn over another."""
    rows = {}
    for node in layout.nodes[1:]:
        rows.setdefault(layout.y[node], []).append(node)
    texts = {}
    for row in rows.values():
        row.sort(key=layout.x.get)
        for i, node in enumerate(row):
            gaps = [abs(layout.x[node] - layout.x[other]) for other in (row[i - 1 : i] + row[i + 1 : i + 2])]
            room = (min(gaps) if gaps else 4.0) * column_points - 2  # points, a small margin between labels
            for form in _label_forms(trace.label[node]):
                if len(form) * LABEL_POINTS * CHAR_WIDTH <= room:
                    texts[node] = form
                    break
    return texts


def _legend(ax, trace):
    entries, not_offered = legend_entries(trace)
    handles = [
        Line2D(
            [],
            [],
            linestyle="none",
            marker=MARKERS[shape(kind)],
            color=COLOURS[kind],
            markersize=7,
            label=text,
        )
        for kind, text in entries
    ]
    for kind in NOT_OFFERED_ORDER:
        if not_offered.get(kind):
            handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="$−$",
                    color=COLOURS[kind],
                    markersize=7,
                    label=f"not offered ({kind}): {not_offered[kind]}",
                )
            )
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.02),
        fontsize=8,
        frameon=False,
        ncol=1 if len(handles) < 5 else 2,
    )
