"""One self-contained HTML page of traces: SVG drawn by inline JavaScript, no network needed.

Hover a node for its decision, outcome, depth and incumbent; click an expanded node to collapse
its subtree into a triangle (click again to open it); tick pruning kinds on and off; drag the
slider to replay the search in visiting order. The page's script lays the trees out the same way
as :mod:`backtrack.viz.layout` (a column per drawn leaf, parents centred over their children).
"""

import base64
import json
from html import escape
from pathlib import Path

from backtrack.viz.layout import choose_threshold, subtree_facts
from backtrack.viz.style import COLOURS, LEGEND_ORDER, NAMES, shape

INITIAL_BUDGET = 1500  # drawn nodes per trace when the page opens; bigger failed subtrees start collapsed


def _trace_data(trace):
    threshold = choose_threshold(trace, INITIAL_BUDGET)
    size, solved = subtree_facts(trace)
    collapsed = []
    if threshold is not None:
        collapsed = [n for n in range(1, trace.size) if not solved[n] and size[n] > threshold]
    return {
        "title": trace.title,
        "meta": {k: trace.meta.get(k) for k in ("strategy", "goal", "count", "truncated", "stats")},
        "parent": trace.parent.tolist(),
        "depth": trace.depth.tolist(),
        "kind": [trace.kind(n) for n in range(trace.size)],
        "label": trace.label,
        "incumbent": [trace.info[n].get("incumbent") for n in range(trace.size)],
        "notOffered": [trace.info[n].get("not_offered") for n in range(trace.size)],
        "collapsed": collapsed,
    }


def write_page(traces, out):
    """Write the page of ``traces`` to ``out``."""
    data = {
        "traces": [_trace_data(t) for t in traces],
        "colours": COLOURS,
        "names": NAMES,
        "order": LEGEND_ORDER,
        "shapes": {k: shape(k) for k in COLOURS},
    }
    payload = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
    title = escape(" | ".join(t.title for t in traces))
    script = (Path(__file__).parent / "page.js").read_text(encoding="utf-8")
    page = PAGE.replace("__TITLE__", title).replace("__SCRIPT__", script).replace("__DATA__", payload)
    out.write_text(page, encoding="utf-8")


def write_picture_page(traces, png, out):
    """Write a self-contained page showing one PNG picture (``png``: its bytes) of ``traces``."""
    title = escape(" | ".join(t.title for t in traces))
    data = base64.b64encode(png).decode("ascii")
    out.write_text(
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
        f'<body style="margin: 12px"><img alt="{title}" style="max-width: 100%" '
        f'src="data:image/png;base64,{data}"></body></html>\n',
        encoding="utf-8",
    )


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>__TITLE__</title>
<style>
body { font: 13px system-ui, sans-serif; margin: 12px; color: #222; }
#controls { position: sticky; top: 0; background: #fff; padding: 6px 0; border-bottom: 1px solid #ddd; z-index: 2; }
#controls label { margin-right: 12px; white-space: nowrap; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 3px; vertical-align: middle; }
#tip { position: fixed; pointer-events: none; background: #fffbe6; border: 1px solid #bbb; padding: 4px 6px;
       font-size: 12px; display: none; white-space: pre; z-index: 3; }
svg text { font-size: 10px; }
.edge { stroke: #b0b0b0; stroke-width: 1; }
.node { cursor: pointer; }
.hidden { display: none; }
</style></head><body>
<div id="controls">
  <div id="kinds"></div>
  <label>replay <input id="replay" type="range" min="0" value="0" style="width: 40em"></label>
  <span id="shown"></span>
</div>
<div id="trees"></div>
<div id="tip"></div>
<script id="data" type="application/json">__DATA__</script>
<script>
__SCRIPT__</script></body></html>
"""
