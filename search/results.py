"""What a search answers: one page of results, the counts per type and per paper outcome."""

from dataclasses import dataclass, field

from django.utils.safestring import SafeString

PER_PAGE = 20
# Counting stops here ("1000+"), and a broader match is ranked among its most recent rows
# only: ranking 100,000 matches of a word like "model" reads every vector.
COUNT_LIMIT = 1_000
RANK_LIMIT = 500


@dataclass(frozen=True)
class Result:
    kind: str
    kind_label: str
    title: SafeString
    url: str
    snippet: SafeString
    meta: str


@dataclass(frozen=True)
class Facet:
    key: str
    label: str
    count: int
    selected: bool

    @property
    def capped(self):
        return self.count > COUNT_LIMIT

    @property
    def shown_count(self):
        return f"{COUNT_LIMIT}+" if self.capped else str(self.count)


@dataclass
class SearchResults:
    query: str
    message: str = ""
    results: list[Result] = field(default_factory=list)
    facets: list[Facet] = field(default_factory=list)
    total: int = 0
    page: int = 1
    num_pages: int = 1
    fuzzy: bool = False
    per_page: int = PER_PAGE
    # Papers per outcome among the first COUNT_LIMIT matching papers, whatever the outcome filter.
    outcomes: list[Facet] = field(default_factory=list)

    @property
    def total_all(self):
        return sum(facet.count for facet in self.facets)

    @property
    def shown_total(self):
        return f"{COUNT_LIMIT}+" if any(f.capped for f in self.facets) else str(self.total)

    @property
    def first_index(self):
        return (self.page - 1) * self.per_page + 1

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.num_pages
