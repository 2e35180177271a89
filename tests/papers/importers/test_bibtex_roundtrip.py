"""Any title and author names a paper can hold come back unchanged from its BibTeX."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papers.importers.bibtex import parse_bibtex, render_bibtex
from papers.models import Author, Authorship, Paper
from papers.selectors import papers_for_citation

LETTERS = {"categories": ["Lu", "Ll", "Nd"], "max_codepoint": 0x24F}
WORD = st.text(
    alphabet=st.characters(**LETTERS, include_characters="&%#_$-:'()!?.{}~^\\"),
    min_size=1,
    max_size=12,
)
NAME_PART = st.text(
    alphabet=st.characters(**LETTERS, include_characters="-'."), min_size=1, max_size=10
)


@pytest.mark.django_db
@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    title=st.lists(WORD, min_size=1, max_size=8).map(" ".join),
    names=st.lists(
        st.lists(NAME_PART, min_size=2, max_size=3).map(" ".join), min_size=1, max_size=3
    ),
)
def test_titles_and_names_survive_export_and_import(title, names):
    paper = Paper.objects.create(title=title, slug="p")
    for i, name in enumerate(names):
        author = Author.objects.create(name=name, slug=f"a{i}")
        Authorship.objects.create(paper=paper, author=author, order=i)
    try:
        [record] = parse_bibtex(
            render_bibtex(papers_for_citation(Paper.objects.filter(pk=paper.pk)))
        )
        assert record.title == title
        assert [a.name for a in record.authors] == names
    finally:
        Paper.objects.all().delete()
        Author.objects.all().delete()
