"""Locating the npm checkers (vnu-jar, axe-core): missing locally skips, missing in CI fails."""

import os
import shutil
from pathlib import Path

import pytest

NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"


def require(condition, reason):
    """Skip with `reason` locally; under CI a missing tool is a failure, never a skip."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is a failure)")
    pytest.skip(reason)


def java():
    path = shutil.which("java")
    require(path is not None, "java is not installed: the Nu HTML Checker needs Java 11+")
    require(VNU_JAR.exists(), f"{VNU_JAR} is missing: run `npm ci`")
    return path


def axe_source():
    require(AXE_JS.exists(), f"{AXE_JS} is missing: run `npm ci`")
    return AXE_JS.read_text()
