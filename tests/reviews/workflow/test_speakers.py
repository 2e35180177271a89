"""Speaker links chosen by a curator stand until the speaker text changes; an import reusing a
keynote relinks it only when its links no longer follow its speaker text, at no cost otherwise."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from papers.authors import merge_authors
from reviews.markdown.importer import MarkdownSource, import_post
from reviews.models import Keynote, KeynoteSpeaker
from reviews.workflow.editing import save_keynote
from reviews.workflow.speakers import link_keynote_speakers, set_keynote_speakers
from tests.factories import AuthorFactory, KeynoteFactory

pytestmark = pytest.mark.django_db


def links(keynote):
    rows = KeynoteSpeaker.objects.filter(keynote=keynote).order_by("order")
    return list(rows.values_list("order", "author__name", "affiliation"))


def test_chosen_speakers_stand_while_the_speaker_text_does(curator):
    talk = KeynoteFactory(speaker="Ada Lovelace and Charles Babbage")
    ada, charles = AuthorFactory(name="Ada Lovelace"), AuthorFactory(name="Charles Babbage")
    save_keynote(
        keynote=talk,
        by=curator,
        expected_version=talk.version,
        speakers=[(ada, "Engines"), (charles, "")],
    )
    chosen = [(0, "Ada Lovelace", "Engines"), (1, "Charles Babbage", "")]
    assert links(talk) == chosen

    talk = Keynote.objects.get(pk=talk.pk)
    talk.summary = "A new summary."
    save_keynote(keynote=talk, by=curator, expected_version=talk.version)
    assert link_keynote_speakers(keynote=talk) == list(talk.speaker_links.order_by("order"))
    assert links(talk) == chosen

    talk.speaker = "Ada Lovelace"
    save_keynote(keynote=talk, by=curator, expected_version=talk.version)
    assert links(talk) == [(0, "Ada Lovelace", "")]
    assert Keynote.objects.get(pk=talk.pk).speakers_chosen_for == ""


def test_the_same_person_twice_is_refused_with_nothing_written():
    talk = KeynoteFactory(speaker="Ada Lovelace")
    ada = talk.speaker_links.get().author

    with pytest.raises(ValidationError, match="already a speaker of this keynote"):
        set_keynote_speakers(keynote=talk, speakers=[(ada, ""), (ada, "Engines")])

    assert links(talk) == [(0, "Ada Lovelace", "")]
    assert Keynote.objects.get(pk=talk.pk).speakers_chosen_for == ""


def post_naming(speakers: list[str]) -> MarkdownSource:
    """A post of one keynote entry per speaker ("Talk n - <speaker>")."""
    lines = ["---", "layout: post", "title: NeurIPS 2023 in review", "---", ""]
    lines += ["<h3>Keynotes</h3>", ""]
    for n, speaker in enumerate(speakers):
        lines += [f"<h4>Talk {n} - {speaker}</h4>", "", f"Summary {n}.", ""]
    return MarkdownSource("2023-12-20-review.md", "\n".join(lines).encode())


def test_a_reimport_relinks_a_reused_keynote_whose_speaker_text_changed():
    import_post(source=post_naming(["Ada Lovelace", "Charles Babbage"]))
    changed = Keynote.objects.get(title="Talk 0")
    unlinked = Keynote.objects.get(title="Talk 1")
    # Rows written around the services: an old backup, a bulk update, the speakers the data
    # migration left unlinked (it created no author).
    Keynote.objects.filter(pk=changed.pk).update(speaker="Grace Hopper")
    KeynoteSpeaker.objects.filter(keynote=unlinked).delete()

    report = import_post(source=post_naming(["Grace Hopper", "Charles Babbage"]), update=True)

    assert len(report.keynotes_reused) == 2
    assert links(changed) == [(0, "Grace Hopper", "")]
    assert links(unlinked) == [(0, "Charles Babbage", "")]
    assert (
        "/authors/grace-hopper/"
        in Keynote.objects.get(pk=changed.pk).entries.get().section.post.body_html
    )


def import_queries(source) -> int:
    with CaptureQueriesContext(connection) as queries:
        import_post(source=source, update=True)
    return len(queries)


@pytest.mark.parametrize("size", [2, 20])
def test_a_reimport_costs_no_query_for_keynotes_whose_links_follow_their_text(size):
    speakers = [f"Speaker {n}" for n in range(size)]
    source = post_naming(speakers)
    import_post(source=source)
    automatic = import_queries(source)
    co_speaker = AuthorFactory(name="Co Speaker")
    for talk in Keynote.objects.all():
        set_keynote_speakers(
            keynote=talk, speakers=[(talk.speaker_links.get().author, "Lab"), (co_speaker, "")]
        )
    chosen = [[(0, name, "Lab"), (1, "Co Speaker", "")] for name in speakers]

    assert import_queries(source) == automatic
    assert [links(talk) for talk in Keynote.objects.order_by("pk")] == chosen


def test_a_merge_renaming_the_speaker_keeps_the_speakers_chosen(curator):
    kept, other = AuthorFactory(name="Grace Hopper"), AuthorFactory(name="G. Hopper")
    charles = AuthorFactory(name="Charles Babbage")
    talk = KeynoteFactory(speaker="G. Hopper")
    set_keynote_speakers(keynote=talk, speakers=[(other, ""), (charles, "")])

    merge_authors(keep=kept, others=[other], by=curator)

    talk = Keynote.objects.get(pk=talk.pk)
    assert (talk.speaker, talk.speakers_chosen_for) == ("Grace Hopper", "Grace Hopper")
    assert link_keynote_speakers(keynote=talk)
    assert links(talk) == [(0, "Grace Hopper", ""), (1, "Charles Babbage", "")]
