"""``backtrack tree TRACE [TRACE2 ...] --out FILE.png|.svg|.html``: draw recorded search trees."""

import os
from pathlib import Path

import click

from backtrack.cli import InputError
from backtrack.viz.read import TraceError, read_trace

SUFFIXES = (".png", ".svg", ".html")


@click.command()
@click.argument("traces", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="FILE.png, FILE.svg or FILE.html")
@click.option(
    "--view",
    type=click.Choice(["auto", "tree", "pixel", "icicle"]),
    default="auto",
    show_default=True,
    help="node-link tree, pixel tree or icicle (big traces); auto: the tree up to 2000 nodes per trace, "
    "else the pixel tree (.html: auto is the interactive tree; pixel and icicle embed the picture)",
)
@click.option(
    "--collapse",
    type=click.IntRange(min=1),
    default=None,
    help="draw failed subtrees of more than N nodes as triangles (default: chosen by size)",
)
def tree(traces, out, view, collapse):
    """Draw search trees recorded with --trace: one colour per pruning kind, a legend with counts.

    Several traces are drawn side by side on one scale. .html writes one self-contained page
    (hover, collapse, kinds on and off, a replay slider).
    """
    target = Path(out)
    suffix = target.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(f"--out {out}: unknown suffix {target.suffix or '(none)'}; use .png, .svg or .html")
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir() or not os.access(directory, os.W_OK):
        raise InputError(f"--out {out}: cannot write into {directory}")
    try:
        loaded = [read_trace(path) for path in traces]
    except TraceError as error:
        raise InputError(str(error)) from None
    try:
        if suffix == ".html" and view in ("pixel", "icicle"):
            from backtrack.viz.render_html import write_picture_page
            from backtrack.viz.render_pixel import picture_bytes

            write_picture_page(loaded, picture_bytes(loaded, view), target)
            shown = f"{view} (html)"
        elif suffix == ".html":
            from backtrack.viz.render_html import write_page

            write_page(loaded, target)
            shown = "html"
        else:
            from backtrack.viz.render_mpl import draw

            shown = draw(loaded, target, view=view, threshold=collapse)
    except OSError as error:
        raise InputError(f"--out {out}: {error.strerror or error}") from None
    click.echo(f"{target}: {len(loaded)} trace(s), {shown} view", err=True)
