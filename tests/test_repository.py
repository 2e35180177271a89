"""A fresh clone (or an unpacked archive) has everything it needs: nothing reads outside it."""

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKED_SUFFIXES = {".py", ".toml", ".cfg", ".ini", ".yml", ".yaml", ".sh", ".json"}
CHECKED_NAMES = {"Makefile", "Dockerfile", "run"}
SKIPPED_DIRS = {"node_modules", "__pycache__", "staticfiles", "media", "artifacts"}
# Written as regular expressions, so this file's own text never matches them.
OUTSIDE_PATHS = [
    re.compile(r"\.\.[/\\]+shared\b"),
    re.compile(r"""["']\.\.["']\s*,\s*["']shared["']"""),
    re.compile(r"""\.parents\[\d+\]\s*/\s*["']shared["']"""),
    re.compile(r"""\.parent\s*/\s*["']shared["']"""),
]


def checked_files():
    """Code, configuration and CI files; hidden folders (.venv, .git) except .ci and .github."""
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = sorted(
            d
            for d in dirs
            if d not in SKIPPED_DIRS
            and not d.endswith(".egg-info")
            and (not d.startswith(".") or d in {".ci", ".github"})
        )
        for name in sorted(files):
            path = Path(folder) / name
            if path.suffix in CHECKED_SUFFIXES or name in CHECKED_NAMES:
                yield path


def outside_references(text):
    return [match.group(0) for pattern in OUTSIDE_PATHS for match in pattern.finditer(text)]


def test_no_code_or_configuration_reads_a_path_outside_the_repository():
    found = [
        f"{path.relative_to(ROOT)}: {hit}"
        for path in checked_files()
        for hit in outside_references(path.read_text(encoding="utf-8", errors="replace"))
    ]

    assert found == []


def test_the_check_covers_the_tests_the_benchmark_and_ci():
    names = {path.relative_to(ROOT).as_posix() for path in checked_files()}

    assert {"tests/conftest.py", "bench/run.py", ".ci/run", "Makefile", "pyproject.toml"} <= names


SHARED = "sha" + "red"


@pytest.mark.parametrize(
    "line",
    [
        f'path = "../{SHARED}/formats/jekyll-post-example.md"',
        f'Path(__file__).resolve().parents[2] / "{SHARED}" / "formats"',
        f'ROOT.parent / "{SHARED}" / "formats"',
        f'os.path.join(here, "..", "{SHARED}")',
        f"cat ../../{SHARED}/STYLE.md",
    ],
)
def test_each_way_of_reaching_the_sibling_folder_is_caught(line):
    assert len(outside_references(line)) == 1
