"""A paper's review excerpts reordered: any permutation under the unique order, the paper's
version bumped, the public page stale, curators only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import ContentVersion
from papers.ordering import excerpt_ids, reorder_excerpts
from tests.factories import PaperFactory, PeerReviewExcerptFactory, staff_member

pytestmark = pytest.mark.django_db


def _excerpts(paper, count):
    return [
        PeerReviewExcerptFactory(paper=paper, reviewer_label=f"R{n}", order=n * 2)
        for n in range(count)
    ]


def test_a_reversed_order_is_written_without_breaking_the_unique_order(curator):
    paper = PaperFactory()
    excerpts = _excerpts(paper, 4)
    before = paper.version

    reorder_excerpts(paper=paper, ids=[e.pk for e in reversed(excerpts)], by=curator)

    assert list(paper.review_excerpts.order_by("order").values_list("reviewer_label", "order")) == [
        ("R3", 0),
        ("R2", 1),
        ("R1", 2),
        ("R0", 3),
    ]
    paper.refresh_from_db()
    assert paper.version == before + 1


def test_a_reorder_makes_cached_pages_stale():
    paper = PaperFactory()
    first, second = _excerpts(paper, 2)
    ContentVersion.objects.update_or_create(pk=1, defaults={"number": 7})

    reorder_excerpts(paper=paper, ids=[second.pk, first.pk], by=None)

    assert ContentVersion.objects.get(pk=1).number != 7


def test_only_the_papers_own_excerpts_are_reordered(curator):
    paper, other = PaperFactory(), PaperFactory()
    mine = _excerpts(paper, 2)
    theirs = PeerReviewExcerptFactory(paper=other, order=5)

    with pytest.raises(ValidationError, match="reload the page and move it again"):
        reorder_excerpts(paper=paper, ids=[mine[1].pk, theirs.pk, mine[0].pk], by=curator)

    assert excerpt_ids(paper) == [mine[0].pk, mine[1].pk]
    theirs.refresh_from_db()
    assert theirs.order == 5


def test_an_order_that_leaves_out_an_excerpt_is_refused_with_nothing_changed(curator):
    paper = PaperFactory()
    excerpts = _excerpts(paper, 3)

    with pytest.raises(ValidationError, match="changed since you opened it"):
        reorder_excerpts(paper=paper, ids=[excerpts[2].pk, excerpts[0].pk], by=curator)

    assert list(paper.review_excerpts.order_by("pk").values_list("order", flat=True)) == [0, 2, 4]
    before = paper.version
    paper.refresh_from_db()
    assert paper.version == before


def test_a_contributor_may_not_reorder_a_papers_excerpts():
    from reviews.workflow.roles import CONTRIBUTORS

    paper = PaperFactory()
    excerpts = _excerpts(paper, 2)

    with pytest.raises(PermissionDenied, match="Only curators"):
        reorder_excerpts(
            paper=paper,
            ids=[excerpts[1].pk, excerpts[0].pk],
            by=staff_member("contributor", CONTRIBUTORS),
        )

    assert excerpt_ids(paper) == [excerpts[0].pk, excerpts[1].pk]
