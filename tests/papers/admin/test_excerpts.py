"""The paper change page's review excerpts: ordered by the move buttons (with or without
JavaScript) or a drag, never by a number field; new excerpts go last."""

import json

import pytest
from django.urls import reverse

from papers.ordering import excerpt_ids
from tests.factories import PaperFactory, PeerReviewExcerptFactory
from tests.reviews.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper():
    paper = PaperFactory()
    for n in range(3):
        PeerReviewExcerptFactory(paper=paper, reviewer_label=f"R{n}", field="summary", order=n)
    return paper


def _reorder_url(paper):
    return reverse("admin:papers_paper_reorder_excerpts", args=[paper.pk])


def test_the_change_page_shows_move_buttons_instead_of_order_numbers(curator_client, paper):
    first = excerpt_ids(paper)[0]

    page = curator_client.get(reverse("admin:papers_paper_change", args=[paper.pk])).content
    page = page.decode()

    assert 'name="review_excerpts-0-order"' not in page
    assert f'<form id="excerpt-reorder" method="post" action="{_reorder_url(paper)}"' in page
    assert (
        f'<button type="submit" class="button outline-move" form="excerpt-reorder" name="move" '
        f'value="{first}:down" aria-label="Move “R0, summary” down">↓</button>'
    ) in page
    assert "js/admin-inline-order.js" in page


def test_a_move_button_without_javascript_saves_and_comes_back(curator_client, paper):
    first, second, third = excerpt_ids(paper)

    response = curator_client.post(_reorder_url(paper), {"move": f"{first}:down"}, follow=True)

    assert response.redirect_chain[-1][0] == (
        reverse("admin:papers_paper_change", args=[paper.pk]) + "#review_excerpts-group"
    )
    assert [str(m) for m in response.context["messages"]] == ["New order saved."]
    assert excerpt_ids(paper) == [second, first, third]


def test_a_drag_answers_the_papers_new_version(curator_client, paper):
    first, second, third = excerpt_ids(paper)

    response = curator_client.post(
        _reorder_url(paper),
        {"ids": f"{third},{first},{second}"},
        headers={"Accept": "application/json"},
    )

    paper.refresh_from_db()
    assert json.loads(response.content) == {
        "version": paper.version,
        "ids": [third, first, second],
    }
    assert excerpt_ids(paper) == [third, first, second]


def test_a_stale_order_is_refused_in_words(curator_client, paper):
    first, second, _ = excerpt_ids(paper)

    response = curator_client.post(
        _reorder_url(paper), {"ids": f"{second},{first}"}, headers={"Accept": "application/json"}
    )

    assert response.status_code == 400
    assert json.loads(response.content) == {
        "error": "The paper's excerpts changed since you opened it (one was added or removed): "
        "reload the page and move it again."
    }
    assert excerpt_ids(paper) == [first, second, _]


def test_a_contributor_may_not_reorder(contributor_client, paper):
    before = excerpt_ids(paper)

    response = contributor_client.post(_reorder_url(paper), {"move": f"{before[0]}:down"})

    assert response.status_code == 403
    assert excerpt_ids(paper) == before


def test_saving_the_paper_after_a_reorder_keeps_the_order_and_puts_a_new_excerpt_last(
    curator_client, paper
):
    url = reverse("admin:papers_paper_change", args=[paper.pk])
    data = form_data(curator_client.get(url).content.decode(), "paper_form")
    first, second, third = excerpt_ids(paper)
    answer = curator_client.post(
        _reorder_url(paper),
        {"ids": f"{third},{second},{first}"},
        headers={"Accept": "application/json"},
    )
    data["version"] = str(json.loads(answer.content)["version"])
    data["review_excerpts-TOTAL_FORMS"] = "4"
    data.update(
        {
            "review_excerpts-3-source_kind": "comment",
            "review_excerpts-3-reviewer_label": "Added",
            "review_excerpts-3-rating_scale": "10",
            "review_excerpts-3-text": "A comment typed by hand.",
        }
    )

    response = curator_client.post(url, data)

    assert response.status_code == 302
    labels = list(paper.review_excerpts.order_by("order").values_list("reviewer_label", "order"))
    assert labels == [("R2", 0), ("R1", 1), ("R0", 2), ("Added", 3)]
