"""The search index rebuild runs as a task and reports what it recomputed."""

import pytest

from papers.models import Paper, PeerReviewExcerpt
from reviews.models import Entry, Keynote, Post
from search.models import Suggestion
from search.tasks import rebuild_index
from tests.factories import EntryFactory, PaperFactory

pytestmark = pytest.mark.django_db


def test_the_rebuild_task_recomputes_every_vector_and_suggestion_and_counts_them():
    EntryFactory(section__post__published=True)
    PaperFactory.create_batch(2)
    result = rebuild_index.enqueue()
    assert result.status == "SUCCESSFUL"
    models = {
        "papers": Paper,
        "review excerpts": PeerReviewExcerpt,
        "posts": Post,
        "entries": Entry,
        "keynotes": Keynote,
    }
    # PostgreSQL recomputes the stored vectors, SQLite its FTS5 rows: every row either way.
    expected = {k: m.objects.count() for k, m in models.items()}
    expected["suggestions"] = Suggestion.objects.count()
    assert result.return_value == expected
    assert Paper.objects.count() >= 2
