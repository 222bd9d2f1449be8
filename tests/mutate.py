"""Mutation testing, one module against the tests that exercise it (`make mutate`).

mutmut 3 (pinned in requirements-dev.lock) changes one small thing at a time in a module's
functions (a `<` for a `<=`, a string for another, a call dropped) and runs the module's own
tests against each change. A change the tests do not notice "survives": a broken rule that
would pass. The modules and their tests are listed in pyproject.toml under
[tool.roadmap.mutate]; mutmut's shared settings are under [tool.mutmut].

Each module runs in its own copy of the project under .mutate/ (mutmut writes a mutants/
folder beside the code it reads), with a pyproject.toml that names that module and its
tests. Prints killed / survived / no test / timeout and the score for each module:
killed and timed out over all mutants (a mutant that hangs the tests is caught by them).

    python tests/mutate.py                      # every module listed
    python tests/mutate.py roadmap/path.py      # one
    python tests/mutate.py --survivors roadmap/path.py   # and the diff of each survivor
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutate"
COPIED = ["roadmap", "accounts", "config", "tests", "templates", "static", "fixtures"]
COPIED_FILES = ["manage.py"]
KILLED = {"killed", "timeout"}


def settings():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return data["tool"]["mutmut"], data["tool"]["roadmap"]["mutate"]


def project_copy(module, tests, shared):
    """A copy of the project whose pyproject.toml points mutmut at `module` and `tests`."""
    place = WORK / re.sub(r"[^a-z0-9]+", "-", module.lower()).strip("-")
    # mutmut keeps the result of every mutant whose function did not change, even when the
    # tests did: each run starts afresh, so the score is always of the tests as they are.
    shutil.rmtree(place / "mutants", ignore_errors=True)
    for name in COPIED:
        target = place / name
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(ROOT / name, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in COPIED_FILES:
        shutil.copy2(ROOT / name, place / name)
    pyproject = (ROOT / "pyproject.toml").read_text()
    pytest_section = re.search(
        r"^\[tool\.pytest\.ini_options\]\n(?:(?!^\[).*\n)*", pyproject, re.M
    )
    mutmut = {
        **shared,
        "only_mutate": [module],
        "pytest_add_cli_args_test_selection": tests,
    }
    lines = ["[tool.mutmut]"] + [f"{key} = {json.dumps(value)}" for key, value in mutmut.items()]
    (place / "pyproject.toml").write_text(pytest_section.group(0) + "\n" + "\n".join(lines) + "\n")
    return place


def loaded_database():
    """One SQLite database, migrated and loaded with the catalogue, that each mutant's tests
    start from a copy of (MUTATE_DATABASE in tests/conftest.py)."""
    WORK.mkdir(exist_ok=True)
    database = WORK / "catalogue.sqlite3"
    database.unlink(missing_ok=True)
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    for command in (["migrate", "-v", "0"], ["load_catalogue"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=environment,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return database


def statuses(place):
    """{mutant name: status} from `mutmut results --all true`."""
    output = run_mutmut(place, "results", "--all", "true", capture=True)
    found = {}
    for line in output.splitlines():
        name, separator, status = line.strip().rpartition(": ")
        if separator and "__mutmut_" in name:
            found[name] = status.strip()
    return found


def run_mutmut(place, *args, capture=False, log=None):
    mutmut = Path(sys.executable).parent / "mutmut"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "MUTATE_DATABASE": str(WORK / "catalogue.sqlite3"),
    }
    environment.pop("DATABASE_URL", None)
    output = log.open("w") if log else (subprocess.PIPE if capture else None)
    try:
        result = subprocess.run(
            [str(mutmut), *args],
            cwd=place,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT if log else None,
            text=True,
            check=False,
        )
    finally:
        if log:
            output.close()
    if result.returncode != 0 and not capture:
        where = f"; its output is in {log}" if log else ""
        sys.exit(f"mutmut {' '.join(args)} failed in {place} ({result.returncode}){where}")
    return result.stdout or ""


def summary(module, found):
    counts = Counter(
        "killed" if status in KILLED else status.replace(" ", "_") for status in found.values()
    )
    total = sum(counts.values())
    score = 100 * counts["killed"] / total if total else 0.0
    others = ", ".join(
        f"{count} {status}"
        for status, count in sorted(counts.items())
        if status not in {"killed", "survived", "no_tests"}
    )
    return (
        f"{module}: {total} mutants, {counts['killed']} killed, {counts['survived']} survived, "
        f"{counts['no_tests']} with no test{', ' + others if others else ''}: "
        f"score {score:.1f} %"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="modules as listed in pyproject.toml")
    parser.add_argument("--survivors", action="store_true", help="show each survivor's diff")
    options = parser.parse_args()
    shared, listed = settings()
    unknown = [module for module in options.modules if module not in listed]
    if unknown:
        sys.exit(f"not in [tool.roadmap.mutate]: {', '.join(unknown)}")
    lines = []
    loaded_database()
    for module in options.modules or list(listed):
        place = project_copy(module, listed[module], shared)
        print(f"{module}: mutating against {' '.join(listed[module])}", flush=True)
        run_mutmut(place, "run", log=place / "mutmut-run.log")
        found = statuses(place)
        if options.survivors:
            for name, status in sorted(found.items()):
                if status not in KILLED:
                    print(f"--- {status}: {name}")
                    print(run_mutmut(place, "show", name, capture=True))
        lines.append(summary(module, found))
        print(lines[-1], flush=True)
    print("\n".join(["", "Mutation scores:", *lines]))


if __name__ == "__main__":
    main()
