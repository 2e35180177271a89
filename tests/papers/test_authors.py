"""Duplicate authors: matched by identifiers at import, merged by curators, old URLs redirect."""

import pytest
from django.core.exceptions import PermissionDenied

from papers.authors import MergeRefused, merge_authors
from papers.importers.bibtex import parse_bibtex
from papers.importers.records import AuthorRecord, PaperRecord
from papers.models import Author, AuthorRedirect, Authorship
from papers.services import import_records
from reviews.models import Keynote
from tests.factories import (
    AuthorFactory,
    AuthorshipFactory,
    EntryFactory,
    KeynoteFactory,
    PaperFactory,
    PostFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def record(title, *authors):
    return PaperRecord(source="openreview", title=title, authors=list(authors))


def test_an_import_matches_people_by_openreview_profile_before_names():
    ada = AuthorFactory(name="Ada Lovelace", openreview_id="~Ada_Lovelace1")
    import_records(
        records=[
            record("Engines", AuthorRecord(name="A. Lovelace", openreview_id="~Ada_Lovelace1"))
        ]
    )
    assert list(Author.objects.all()) == [ada]


def test_two_profiles_with_one_name_stay_two_people():
    AuthorFactory(name="Wei Zhang", openreview_id="~Wei_Zhang1")
    import_records(
        records=[record("Graphs", AuthorRecord(name="Wei Zhang", openreview_id="~Wei_Zhang2"))]
    )
    assert sorted(Author.objects.values_list("openreview_id", flat=True)) == [
        "~Wei_Zhang1",
        "~Wei_Zhang2",
    ]


def test_a_name_match_without_an_identifier_takes_the_imported_ones():
    ada = AuthorFactory(name="Ada Lovelace")
    import_records(
        records=[
            record(
                "Notes",
                AuthorRecord(
                    name="Ada Lovelace", openreview_id="~Ada1", orcid="0000-0002-1825-0097"
                ),
            )
        ]
    )
    ada.refresh_from_db()
    assert (ada.openreview_id, ada.orcid) == ("~Ada1", "0000-0002-1825-0097")
    assert Author.objects.count() == 1


def test_bibtex_orcid_numbers_go_to_their_authors_and_match_at_import():
    grace = AuthorFactory(name="G. Hopper", orcid="0000-0001-2345-6789")
    raw = """@article{x, title = {Compilers}, author = {Grace Hopper and Ada Lovelace},
    orcid-numbers = {Hopper, Grace/0000-0001-2345-6789; Lovelace, Ada/0000-0002-1825-0097}}"""
    parsed = parse_bibtex(raw)
    assert [(a.name, a.orcid) for a in parsed[0].authors] == [
        ("Grace Hopper", "0000-0001-2345-6789"),
        ("Ada Lovelace", "0000-0002-1825-0097"),
    ]
    import_records(records=parsed)
    assert Authorship.objects.order_by("order").first().author == grace


@pytest.fixture
def duplicates():
    keep = AuthorFactory(name="Ada Lovelace", openreview_id="~Ada_Lovelace1")
    dupe = AuthorFactory(name="A. Lovelace", orcid="0000-0002-1825-0097")
    shared, own = PaperFactory(title="Shared"), PaperFactory(title="Own")
    AuthorshipFactory(paper=shared, author=keep, order=0, affiliation="")
    AuthorshipFactory(paper=shared, author=dupe, order=1, affiliation="Cambridge")
    AuthorshipFactory(paper=own, author=dupe, order=0)
    KeynoteFactory(speaker="A. Lovelace", title="Analytical engines")
    return keep, dupe


def test_a_merge_moves_papers_keynotes_identifiers_and_address(duplicates, curator):
    keep, dupe = duplicates
    old_slug = dupe.slug
    report = merge_authors(keep=keep, others=[dupe], by=curator)
    keep.refresh_from_db()
    assert (report.authorships_moved, report.duplicates_dropped, report.keynotes_renamed) == (
        1,
        1,
        1,
    )
    assert sorted(keep.authorships.values_list("paper__title", flat=True)) == ["Own", "Shared"]
    assert keep.authorships.get(paper__title="Shared").affiliation == "Cambridge"
    assert (keep.openreview_id, keep.orcid) == ("~Ada_Lovelace1", "0000-0002-1825-0097")
    assert not Author.objects.filter(pk=dupe.pk).exists()
    assert AuthorRedirect.objects.get(old_slug=old_slug).author == keep
    assert Keynote.objects.get().speaker == "Ada Lovelace"


def test_merging_again_repoints_earlier_redirects(duplicates, curator):
    keep, dupe = duplicates
    third = AuthorFactory(name="Augusta Ada King")
    merge_authors(keep=dupe, others=[third], by=curator)
    merge_authors(keep=keep, others=[dupe], by=curator)
    assert set(AuthorRedirect.objects.values_list("author", flat=True)) == {keep.pk}
    assert AuthorRedirect.objects.count() == 2


def test_a_merge_needs_a_curator_and_live_authors(duplicates):
    keep, dupe = duplicates
    with pytest.raises(PermissionDenied):
        merge_authors(keep=keep, others=[dupe], by=UserFactory(is_staff=True))
    with pytest.raises(MergeRefused, match="at least one other"):
        merge_authors(keep=keep, others=[keep], by=None)
    stale = Author.objects.get(pk=dupe.pk)
    merge_authors(keep=keep, others=[dupe], by=None)
    with pytest.raises(MergeRefused, match="merged or deleted meanwhile"):
        merge_authors(keep=keep, others=[stale], by=None)


def test_the_old_author_url_answers_301_to_the_kept_author(client, duplicates):
    keep, dupe = duplicates
    post = PostFactory(published=True)
    EntryFactory(section=SectionFactory(post=post), paper=keep.authorships.first().paper)
    old_url = dupe.get_absolute_url()
    merge_authors(keep=keep, others=[dupe], by=None)
    response = client.get(old_url)
    assert (response.status_code, response["Location"]) == (301, keep.get_absolute_url())
    assert client.get("/authors/nobody-at-all/").status_code == 404
