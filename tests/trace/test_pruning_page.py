"""docs/pruning.md: its tables equal a fresh run of its commands (interpreted: same counts, no compiling),
and the savings it reports add up to the unpruned tree."""

import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
sys.path.insert(0, str(DOCS))

import make_pruning  # noqa: E402


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    keys = [key for key in make_pruning.SECTIONS if key not in make_pruning.SLOW_SECTIONS]
    return make_pruning.gather(tmp_path_factory.mktemp("page"), backend="python", keys=keys)


def test_the_pages_tables_match_a_fresh_run(fresh):
    page = (DOCS / "pruning.md").read_text()
    for key, rows in fresh.items():
        assert make_pruning.table(rows) in page, key


@pytest.mark.slow
def test_the_big_trees_table_matches_a_fresh_run(tmp_path):
    page = (DOCS / "pruning.md").read_text()
    for key, rows in make_pruning.gather(tmp_path, backend="python", keys=make_pruning.SLOW_SECTIONS).items():
        assert make_pruning.table(rows) in page, key


def test_the_pages_pictures_exist_and_the_readme_links_the_page():
    page = (DOCS / "pruning.md").read_text()
    for section in make_pruning.SECTIONS.values():
        for picture in section["pictures"]:
            assert f"(pruning/{picture})" in page
            assert (DOCS / "pruning" / picture).stat().st_size > 10_000
    assert "docs/pruning.md" in (DOCS.parent / "README.md").read_text()


def test_savings_and_visits_make_the_unpruned_tree(fresh):
    for rows in fresh.values():
        for name, _, record, saved, _ in rows:
            if name == "bidirectional":
                continue  # not traced: no tree to count
            assert saved is not None, name  # savings() refuses a count that does not add up
            assert record["stats"]["nodes"] + sum(saved.values()) == record["stats"]["unpruned_nodes"], name
