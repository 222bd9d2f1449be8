"""The suite's own layout: every test that drives Chromium lives in a file named
`test_browser_*.py`, so `pytest -k "not browser"` runs everything else and nothing more."""

import ast

from .servers import ROOT

BROWSER_FIXTURES = {"browser", "new_page"}


def browser_tests_in(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):  # tests and the fixtures they use
            arguments = {argument.arg for argument in node.args.args}
            if arguments & BROWSER_FIXTURES:
                yield node.name


def test_every_browser_driven_test_is_in_a_file_named_for_it():
    misplaced = [
        f"{path.name}::{name}"
        for path in sorted((ROOT / "tests").glob("test_*.py"))
        if not path.name.startswith("test_browser_")
        for name in browser_tests_in(path)
    ]
    assert misplaced == []


def test_the_check_sees_browser_tests_where_they_are():
    # The check above would pass on an empty list; this one says it finds what it looks for.
    found = list(browser_tests_in(ROOT / "tests" / "test_browser_journeys.py"))
    assert len(found) >= 2
