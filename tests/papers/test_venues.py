"""Whole-venue imports: every paper through the single-forum path, reported, resumable, idempotent."""

import io
import json
import urllib.parse

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from papers.importers.records import ImportFailed
from papers.models import Paper, PeerReviewExcerpt, VenueImport
from papers.venues import import_openreview_venue, normalize_venue_id
from tests.fixtures import PAPER_FILES
from tests.papers.importers.test_fetch import server  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

VENUE_FILE = PAPER_FILES / "openreview_v2_venue.json"
V1_VENUE_FILE = PAPER_FILES / "openreview_v1_venue.json"
ACCEPTED = "Sparse Attention for Long Genomic Sequences"
WITHDRAWN = "Neural Scaling Laws for Phenotypic Drug Discovery"
NO_TITLE = "Note NoT1tle000 has no title."


class Interrupted(Exception):
    """Stands for a crash (a killed process, a lost connection to the database)."""


def venue_notes():
    return json.loads(VENUE_FILE.read_text())["notes"]


def page(notes, count):
    return json.dumps({"notes": notes, "count": count}).encode()


def query(path):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(path).query))


@pytest.fixture
def live_api(server, settings):  # noqa: F811
    settings.PAPERS_OPENREVIEW_APIS = [server.url + "/v2", server.url + "/v1"]
    settings.PAPERS_OPENREVIEW_PAGE = 2
    settings.PAPERS_OPENREVIEW_SPACING = 0
    settings.PAPERS_OPENREVIEW_RETRY_PAUSE = 0
    return server


# A saved file of a venue's notes


def test_a_venue_file_imports_every_paper_and_reports_each_one():
    report = import_openreview_venue(source=VENUE_FILE)

    assert [(r.forum, r.status) for r in report.results] == [
        ("Acc3pTedXy", "created"),
        ("Hx3kQ9aB2c", "created"),
        ("NoT1tle000", "failed"),
    ]
    assert report.results[2].detail == NO_TITLE
    assert report.summary() == (
        "The venue file: 3 paper(s) read (2 created, 0 updated, 0 unchanged, 1 failed)."
    )
    assert sorted(Paper.objects.values_list("title", flat=True)) == [WITHDRAWN, ACCEPTED]
    assert report.results[0].paper == Paper.objects.get(openreview_id="Acc3pTedXy")
    # The replies nested under each submission become its review excerpts.
    assert PeerReviewExcerpt.objects.filter(paper__openreview_id="Acc3pTedXy").count() == 10


def test_a_second_run_changes_nothing_and_says_so():
    import_openreview_venue(source=VENUE_FILE)
    versions = dict(Paper.objects.values_list("openreview_id", "version"))

    report = import_openreview_venue(source=VENUE_FILE)

    assert [r.status for r in report.results] == ["unchanged", "unchanged", "failed"]
    assert report.results[0].detail == f"Unchanged “{ACCEPTED}”."
    assert report.resumed_from == 0
    assert dict(Paper.objects.values_list("openreview_id", "version")) == versions


def test_a_changed_forum_is_reported_as_updated():
    import_openreview_venue(source=VENUE_FILE)
    notes = venue_notes()
    notes[0]["content"]["TLDR"]["value"] = "A shorter summary."

    report = import_openreview_venue(data=json.dumps({"notes": notes}))

    assert [r.status for r in report.results] == ["updated", "unchanged", "failed"]
    assert report.results[0].detail == f"Updated “{ACCEPTED}”: changed tldr."


def test_a_run_cut_short_is_continued_from_the_next_paper():
    def crash_after_the_first(result, done, total):
        if done == 1:
            raise Interrupted

    with pytest.raises(Interrupted):
        import_openreview_venue(source=VENUE_FILE, progress=crash_after_the_first)
    assert list(Paper.objects.values_list("title", flat=True)) == [ACCEPTED]

    report = import_openreview_venue(source=VENUE_FILE)

    assert report.resumed_from == 1
    assert [(r.forum, r.status) for r in report.results] == [
        ("Hx3kQ9aB2c", "created"),
        ("NoT1tle000", "failed"),
    ]
    assert report.summary().endswith(
        "Continued an interrupted import: the first 1 paper(s) were saved by the earlier run."
    )
    assert VenueImport.objects.get().finished_at is not None


def test_restart_ignores_the_checkpoint_of_a_run_cut_short():
    def crash(result, done, total):
        raise Interrupted

    with pytest.raises(Interrupted):
        import_openreview_venue(source=VENUE_FILE, progress=crash)

    report = import_openreview_venue(source=VENUE_FILE, restart=True)

    assert report.resumed_from == 0
    assert [r.status for r in report.results] == ["unchanged", "created", "failed"]


def test_progress_is_told_each_paper_with_the_count_so_far_and_the_total():
    seen = []
    import_openreview_venue(
        source=VENUE_FILE,
        progress=lambda result, done, total: seen.append((result.forum, done, total)),
    )
    assert seen == [("Acc3pTedXy", 1, 3), ("Hx3kQ9aB2c", 2, 3), ("NoT1tle000", 3, 3)]


def test_a_dry_run_reports_and_saves_nothing_not_even_a_checkpoint():
    report = import_openreview_venue(source=VENUE_FILE, dry_run=True)

    assert [r.status for r in report.results] == ["created", "created", "failed"]
    assert report.results[0].paper is None
    assert (Paper.objects.count(), VenueImport.objects.count()) == (0, 0)


def test_replies_saved_as_notes_of_their_own_are_grouped_by_forum():
    flat = []
    for note in venue_notes()[:2]:
        replies = note.pop("details")["replies"]
        flat += [note, *replies]

    report = import_openreview_venue(data=json.dumps(flat))

    assert [r.status for r in report.results] == ["created", "created"]
    assert PeerReviewExcerpt.objects.filter(paper__openreview_id="Hx3kQ9aB2c").count() > 0


def test_a_file_that_is_not_notes_is_refused_with_the_reason():
    with pytest.raises(ImportFailed, match=r"^The file is not valid JSON"):
        import_openreview_venue(data="{nope")


def test_only_curators_import_venues(django_user_model):
    visitor = django_user_model.objects.create_user("visitor")
    with pytest.raises(PermissionDenied):
        import_openreview_venue(source=VENUE_FILE, by=visitor)
    assert Paper.objects.count() == 0


def test_a_curator_imports_a_venue(curator):
    report = import_openreview_venue(source=VENUE_FILE, by=curator)
    assert report.count("created") == 2


# The live API (a local server answering with saved pages)


def test_a_live_venue_is_read_a_page_at_a_time(live_api):
    notes = venue_notes()
    live_api.script = [(200, page(notes[:2], 3)), (200, page(notes[2:], 3))]

    report = import_openreview_venue(venue="ICLR.cc/2024/Conference")

    assert [r.status for r in report.results] == ["created", "created", "failed"]
    assert [query(path) for path in live_api.paths] == [
        {
            "invitation": "ICLR.cc/2024/Conference/-/Submission",
            "details": "replies",
            "offset": "0",
            "limit": "2",
        },
        {
            "invitation": "ICLR.cc/2024/Conference/-/Submission",
            "details": "replies",
            "offset": "2",
            "limit": "2",
        },
    ]
    assert live_api.paths[0].startswith("/v2/notes?")
    assert report.source == "ICLR.cc/2024/Conference"


def test_an_api_v1_venue_is_found_under_its_blind_submissions(live_api):
    live_api.script = [(200, page([], 0)), (200, V1_VENUE_FILE.read_bytes())]

    report = import_openreview_venue(venue="ICLR.cc/2019/Conference")

    assert [(r.title, r.status) for r in report.results] == [
        ("Learning to Read Protein Structures", "created")
    ]
    assert live_api.paths[1].startswith("/v1/notes?")
    assert query(live_api.paths[1])["invitation"] == "ICLR.cc/2019/Conference/-/Blind_Submission"


def test_a_server_error_is_retried_before_giving_up(live_api):
    notes = venue_notes()
    live_api.script = [(503, b"busy"), (200, page(notes[:2], 2))]
    report = import_openreview_venue(venue="ICLR.cc/2024/Conference")
    assert report.count("created") == 2


def test_a_venue_cut_off_halfway_continues_from_the_saved_offset(live_api):
    notes = venue_notes()
    live_api.script = [(200, page(notes[:2], 3)), (404, b"")]

    with pytest.raises(ImportFailed) as error:
        import_openreview_venue(venue="ICLR.cc/2024/Conference")
    assert str(error.value).endswith(
        "answered HTTP 404 (Not Found). The first 2 paper(s) are saved; "
        "run the import again to continue from there."
    )

    live_api.paths.clear()
    live_api.script = [(200, page(notes[2:], 3))]
    report = import_openreview_venue(venue="ICLR.cc/2024/Conference")

    assert report.resumed_from == 2
    assert [r.forum for r in report.results] == ["NoT1tle000"]
    assert query(live_api.paths[0])["offset"] == "2"


def test_an_unknown_venue_is_named(live_api):
    live_api.script = [(200, page([], 0))] * 3
    with pytest.raises(
        ImportFailed, match=r"^OpenReview lists no submissions for the venue “X.cc/2099/Conference”"
    ):
        import_openreview_venue(venue="X.cc/2099/Conference")
    assert Paper.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "venue"),
    [
        ("NeurIPS.cc/2023/Conference", "NeurIPS.cc/2023/Conference"),
        (" NeurIPS.cc/2023/Conference/ ", "NeurIPS.cc/2023/Conference"),
        ("https://openreview.net/group?id=ICLR.cc/2024/Conference", "ICLR.cc/2024/Conference"),
    ],
)
def test_a_venue_id_is_read_from_the_id_or_its_group_page(text, venue):
    assert normalize_venue_id(text) == venue


@pytest.mark.parametrize("text", ["", "NeurIPS 2023", "../etc/passwd", "a/b?c=d"])
def test_anything_else_is_refused_as_a_venue_id(text):
    with pytest.raises(ImportFailed, match="is not an OpenReview venue id"):
        normalize_venue_id(text)


# The command


def test_the_command_prints_a_line_per_paper_and_a_summary_off_a_terminal(capsys):
    call_command("import_openreview", "--file", str(VENUE_FILE))
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"[1/3] Created: Created “{ACCEPTED}”: 2 author(s)")
    assert out[2] == f"[3/3] Failed: {NO_TITLE}"
    assert out[-1] == (
        "The venue file: 3 paper(s) read (2 created, 0 updated, 0 unchanged, 1 failed)."
    )


def test_the_command_fetches_a_live_venue(live_api, capsys):
    live_api.script = [(200, page(venue_notes()[:1], 1))]
    call_command("import_openreview", "--venue", "ICLR.cc/2024/Conference", "--dry-run")
    out = capsys.readouterr().out.splitlines()
    assert out[-2:] == [
        "ICLR.cc/2024/Conference: 1 paper(s) read (1 created, 0 updated, 0 unchanged, 0 failed).",
        "Dry run: nothing was saved.",
    ]
    assert Paper.objects.count() == 0


def test_the_command_turns_a_bad_venue_id_into_a_command_error():
    with pytest.raises(CommandError, match="is not an OpenReview venue id"):
        call_command("import_openreview", "--venue", "NeurIPS 2023")


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_on_a_terminal_the_command_draws_a_bar_then_prints_the_report(capsys):
    out = Terminal()
    call_command("import_openreview", "--file", str(VENUE_FILE), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"Created: Created “{ACCEPTED}”")
    assert lines[-1].endswith("(2 created, 0 updated, 0 unchanged, 1 failed).")
    bar = capsys.readouterr().err
    assert "3/3" in bar
    assert "100%" in bar
