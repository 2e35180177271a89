"""A paper's review excerpts put in a curated order, by drag or by the move buttons of the paper's
change page. The paper page quotes them (and their reviews) in this order."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from core.concurrency import bump_version
from core.ordering import write_order
from core.page_cache import bump_content_version
from papers.cards import refresh_paper_cards
from papers.models import Paper, PeerReviewExcerpt
from papers.pages import refresh_paper_pages
from papers.rules import can_change_papers
from papers.services import NOT_A_PAPER_EDITOR

STALE = (
    "The paper's excerpts changed since you opened it (one was added or removed): "
    "reload the page and move it again."
)


@transaction.atomic
def reorder_excerpts(*, paper: Paper, ids: list[int], by) -> Paper:
    """Put the paper's excerpts in the order of `ids` (every excerpt, each once).

    The paper row is locked first, so two curators reordering at once take turns; its version is
    bumped, so a change form opened before the move is refused instead of saving over it.
    """
    if not can_change_papers(by):
        raise PermissionDenied(NOT_A_PAPER_EDITOR)
    Paper.objects.select_for_update().values_list("pk", flat=True).get(pk=paper.pk)
    write_order(rows=PeerReviewExcerpt.objects.filter(paper=paper), ids=ids, stale=STALE)
    bump_version(instance=paper)
    # bulk_update sends no post_save: the cached paper page must still go stale.
    bump_content_version(sender=PeerReviewExcerpt)
    refresh_paper_cards(paper_ids=[paper.pk])  # the first field of a review holds its rating
    refresh_paper_pages(paper_ids=[paper.pk])
    return paper


def excerpt_ids(paper: Paper) -> list[int]:
    """The paper's excerpts in their stored order, as the move buttons see them."""
    return list(paper.review_excerpts.order_by("order").values_list("pk", flat=True))
