"""schemathesis against a server this test starts on 127.0.0.1: every operation, every built-in
check, a bounded number of examples, zero failures."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import KeynoteFactory, PeerReviewExcerptFactory

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


@pytest.fixture
def fuzz_site(post_builder, transactional_db):
    post = post_builder(entries=2, slug="fuzz-review")
    paper = post.sections.get().entries.first().paper
    PeerReviewExcerptFactory(paper=paper, featured=True)
    KeynoteFactory(conference=post.conference)
    return post


def test_schemathesis_finds_no_failure(live_server, fuzz_site, tmp_path):
    run = subprocess.run(
        [
            str(SCHEMATHESIS),
            "run",
            # LiveServerThread listens on IPv4, so localhost is 127.0.0.1; say it plainly.
            f"{live_server.url.replace('localhost', '127.0.0.1')}/api/v1/openapi.json",
            "--checks=all",
            # The stateful phase only chains the same GETs through the schema's links (26 s).
            "--phases=examples,coverage,fuzzing",
            "--max-examples=20",
            "--generation-deterministic",
            "--workers=1",
            "--request-timeout=10",
            "--max-time=60",
            "--no-color",
            f"--report-dir={tmp_path}",
        ],
        capture_output=True,
        text=True,
        timeout=150,
        cwd=tmp_path,
    )

    summary = run.stdout[-3000:]
    assert run.returncode == 0, summary
    assert "No issues found" in run.stdout, summary
