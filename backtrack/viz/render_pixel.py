"""PNG and SVG pixel trees and icicles of big traces (matplotlib), with one strip per pruning kind.

Each trace is a block: the picture (one image, drawn with ``imshow``: no artist per node), then,
on the same x axis (nodes in visiting order), one histogram strip per cut kind and per kind of
values not offered, the solutions found, and, when the trace records one, the incumbent's value.
Several traces are stacked on one x scale: the same number of nodes per column in every block.
"""

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import LinearSegmentedColormap, LogNorm, to_rgb  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from backtrack.viz import pixel  # noqa: E402
from backtrack.viz.style import COLOURS, NAMES  # noqa: E402

COLUMNS = 1000  # image columns for the biggest trace: about one per screen pixel of a 12-inch figure
WIDTH = 12.0  # inches
DENSITY = LinearSegmentedColormap.from_list("density", ["#C6DBEF", "#4292C6", "#08306B"])
CUT_NAMES = {**NAMES, "decision_bound": "cut: decision bound", "bound": "cut: bound (child)"}
STRIP_COLOURS = {**COLOURS, "decision_bound": "#A86F00"}  # a darker orange than the bound's: both are bound cuts


def draw(traces, out, view):
    """Draw ``traces`` (``view`` "pixel" or "icicle") into ``out`` (.png or .svg)."""
    figure = _figure(traces, view)
    figure.savefig(out, dpi=110)
    plt.close(figure)


def picture_bytes(traces, view):
    """The PNG picture of ``traces`` as bytes (for the HTML page that embeds it)."""
    buffer = io.BytesIO()
    draw(traces, buffer, view)
    return buffer.getvalue()


def _figure(traces, view):
    nodes = [pixel.node_arrays(t) for t in traces]
    per = pixel.nodes_per_column([n.size for n in nodes], COLUMNS)
    columns = [pixel.columns_of(n, per) for n in nodes]
    rows = max(int(n.depth.max()) + 1 for n in nodes)
    blocks = [_strips(c) for c in columns]
    heights = []
    for strips in blocks:
        heights += [0.45 + min(0.16 * max(rows, 6), 2.6)] + [0.42] * len(strips) + [0.55]
    heights.pop()  # no gap after the last block
    figure = plt.figure(figsize=(WIDTH, sum(heights) + 0.4))
    grid = figure.add_gridspec(len(heights), 2, height_ratios=heights, width_ratios=[80, 1], hspace=0.12, wspace=0.02)
    span = max(c.count for c in columns) * per
    row = 0
    for trace, node_arrays, cols, strips in zip(traces, nodes, columns, blocks, strict=True):
        picture = figure.add_subplot(grid[row, 0])
        if view == "icicle":
            _icicle(picture, node_arrays, per, rows)
            figure.add_subplot(grid[row, 1]).axis("off")
        else:
            image = _pixel_tree(picture, cols, node_arrays, per, rows)
            bar = figure.colorbar(image, cax=figure.add_subplot(grid[row, 1]))
            bar.set_label("nodes\nper pixel", fontsize=7)
            bar.ax.tick_params(labelsize=7)
        picture.set_xlim(0, span)
        picture.set_title(_title(trace, view, per), fontsize=9, loc="left")
        picture.set_ylabel("depth", fontsize=8)
        picture.tick_params(labelsize=7, labelbottom=False)
        axes = [picture]
        for name, values, colour, total in strips:
            row += 1
            strip = figure.add_subplot(grid[row, 0], sharex=picture)
            _strip(strip, cols, per, name, values, colour, total)
            axes.append(strip)
        axes[-1].tick_params(labelbottom=True)
        axes[-1].set_xlabel("nodes in visiting (depth-first) order", fontsize=8)
        row += 2
    figure.subplots_adjust(left=0.16, right=0.95, top=1 - 0.25 / sum(heights), bottom=0.35 / sum(heights))
    return figure


def _title(trace, view, per):
    stats = trace.meta.get("stats", {})
    found = f"count {trace.meta['count']}" if trace.meta.get("goal") == "count" else f"{stats.get('solutions', 0)} sol."
    line = f"{trace.title}: {stats.get('nodes', trace.size - 1):,} nodes, {found}"
    if trace.meta.get("truncated"):
        line += f" (first {trace.size:,} recorded)"
    what = "icicle" if view == "icicle" else "pixel tree"
    return f"{line}   [{what}, {per} node{'s' if per > 1 else ''} per column]"


def _strips(cols):
    """(label, values per column, colour, total) of the strips of one trace, top to bottom."""
    strips = []
    for kind in pixel.CUT_KINDS:
        if kind in cols.cuts:
            strips.append(
                (CUT_NAMES[kind], cols.cuts[kind], COLOURS.get(kind, COLOURS["bound"]), cols.cuts[kind].sum())
            )
    for kind in pixel.NOT_OFFERED_KINDS:
        if kind in cols.not_offered:
            values = cols.not_offered[kind]
            strips.append((f"not offered: {kind}\n(values)", values, COLOURS[kind], values.sum()))
    if cols.solutions.any():
        strips.append(("solutions", cols.solutions, COLOURS["solution"], cols.solutions.sum()))
    if cols.incumbent is not None:
        strips.append(("incumbent", cols.incumbent, "#333333", None))
    return strips


def _pixel_tree(ax, cols, nodes, per, rows):
    density = np.zeros((rows, cols.count))
    density[: cols.density.shape[0]] = cols.density
    masked = np.ma.masked_equal(density, 0)
    image = ax.imshow(
        masked,
        aspect="auto",
        interpolation="nearest",
        cmap=DENSITY,
        norm=LogNorm(vmin=1, vmax=max(per, 2)),
        extent=(0, cols.count * per, rows - 0.5, -0.5),
    )
    solved = nodes.outcome == pixel.OUTCOMES.index("solution")
    if solved.any():
        at = np.unique(np.stack([np.flatnonzero(solved) // per, nodes.depth[solved]]), axis=1)
        ax.scatter((at[0] + 0.5) * per, at[1], s=6, marker="D", color=COLOURS["solution"], linewidths=0, zorder=3)
    return image


def _icicle(ax, nodes, per, rows):
    cover = pixel.icicle_coverage(nodes, per).astype(float)  # [depth, column, class]
    palette = np.array([to_rgb(STRIP_COLOURS[k]) for k in pixel.ICICLE_CLASSES])
    total = cover.sum(axis=2)
    rgb = cover @ palette / np.maximum(total, 1)[..., None]
    slots = np.minimum(per, nodes.size - np.arange(cover.shape[1]) * per)  # nodes per column
    alpha = np.clip(total / slots, 0, 1)
    image = np.ones((rows, cover.shape[1], 4))
    image[: cover.shape[0], :, :3] = rgb
    image[: cover.shape[0], :, 3] = alpha
    image[cover.shape[0] :, :, 3] = 0
    ax.imshow(image, aspect="auto", interpolation="nearest", extent=(0, cover.shape[1] * per, rows - 0.5, -0.5))
    present = [k for k, used in zip(pixel.ICICLE_CLASSES, cover.sum(axis=(0, 1)) > 0, strict=True) if used]
    handles = [Patch(color=STRIP_COLOURS[k], label=_icicle_label(k)) for k in present]
    ax.legend(
        handles=handles,
        loc="lower right",
        bbox_to_anchor=(1, 1),
        ncol=len(handles),
        fontsize=7,
        frameon=False,
        handlelength=1.2,
        columnspacing=1.0,
        borderaxespad=0.1,
    )


def _icicle_label(kind):
    if kind == "solution":
        return "a solution below"
    if kind == "expanded":
        return "nothing cut below"
    return f"mostly {CUT_NAMES[kind].removeprefix('cut: ')} below"


def _strip(ax, cols, per, name, values, colour, total):
    edges = np.arange(cols.count + 1) * per
    if total is None:  # the incumbent: a step line, gaps before the first value
        ax.stairs(values, edges, color=colour, linewidth=1.2, baseline=None)
        known = values[~np.isnan(values)]
        low, high = known.min(), known.max()
        pad = (high - low) * 0.1 or 1
        ax.set_ylim(low - pad, high + pad)
        ax.set_yticks(sorted({low, high}))
        label = "incumbent"
    else:
        ax.stairs(values, edges, fill=True, color=colour, linewidth=0)
        ax.set_ylim(0, max(values.max(), 1) * 1.05)
        ax.set_yticks([int(values.max())])
        label = f"{name}\n{int(total):,}"
    ax.set_ylabel(label, rotation=0, ha="right", va="center", fontsize=7.5, color=_darker(colour))
    ax.yaxis.tick_right()
    ax.tick_params(labelsize=6.5, labelbottom=False)
    for side in ("top", "left"):
        ax.spines[side].set_visible(False)


def _darker(colour):
    return tuple(0.7 * c for c in to_rgb(colour))
