"""Drawing search traces (``backtrack tree``): reading the SQLite file, laying the tree out, and
rendering it with matplotlib (PNG, SVG) or as one self-contained HTML page.

Not engine code: nothing here runs during a search.
"""
