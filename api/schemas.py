"""The API's response shapes; every field carries a description, which the schema test checks."""

import datetime
from decimal import Decimal

from ninja import Field, Schema


def F(description: str, *, example=None, **kwargs):
    """A described field; `example` goes into the OpenAPI schema as the field's example."""
    if example is not None:
        kwargs["examples"] = [example]
    return Field(..., description=description, **kwargs)


class Problem(Schema):
    type: str = F("Always `about:blank`: the status says what went wrong.", example="about:blank")
    title: str = F("The HTTP status phrase.", example="Not Found")
    status: int = F("The HTTP status code.", example=404)
    detail: str = F("What went wrong, for a person.", example="No public post at this address.")


class Page(Schema):
    count: int = F("How many results all pages hold together.", example=42)
    next: str | None = F("Absolute URL of the next page, or null on the last.")
    previous: str | None = F("Absolute URL of the previous page, or null on the first.")


class ConferenceRef(Schema):
    slug: str = F("Stable identifier of the conference.", example="neurips-2023")
    short_name: str = F("The conference as readers say it.", example="NeurIPS")
    year: int = F("The conference's year.", example=2023)
    url: str = F("Absolute URL of the conference's public page.")


class Conference(ConferenceRef):
    full_name: str = F("The full name, or empty.")
    location: str = F("Where it took place, or empty.")
    start_date: datetime.date | None = F("First day (ISO 8601), or null.")
    end_date: datetime.date | None = F("Last day (ISO 8601), or null.")
    website: str = F("The conference's own site, or empty.")
    bibtex_url: str = F("Absolute URL of the BibTeX of its public papers.")


class ConferencePage(Page):
    results: list[Conference] = F("The conferences of this page.")


class Tag(Schema):
    slug: str = F("Stable identifier of the tag.", example="genomics")
    name: str = F("The tag as shown.", example="genomics")
    post_count: int = F("Public posts with this tag.")
    paper_count: int = F("Public papers with this topic.")
    url: str = F("Absolute URL of the tag's public page.")


class TagPage(Page):
    results: list[Tag] = F("The tags of this page.")


class Video(Schema):
    url: str = F("The video's page, always https.")
    title: str = F("The video's title.")
    host: str = F("`youtube`, `vimeo`, `slideslive`, `bilibili`, or empty for another page.")
    embed_url: str = F("A privacy-friendly player address for a known host, or empty.")
    thumbnail_url: str = F(
        "A still image of the video: this site's copy once fetched, until then the host's, or "
        "empty when the host has none."
    )
    suggested_by: str = F("The name the suggesting reader gave, or empty.")


class AuthorSummary(Schema):
    name: str = F("The person's name as printed.", example="Ada Lovelace")
    slug: str = F("Stable identifier of the person.", example="ada-lovelace")
    openreview_id: str = F("OpenReview profile id, or empty.", example="~Ada_Lovelace1")
    orcid: str = F("ORCID iD, or empty.", example="0000-0002-1825-0097")
    url: str = F("Absolute URL of the person's public page.")


class Speaker(AuthorSummary):
    affiliation: str = F("Their affiliation at the time of the talk, or empty.")


class Keynote(Schema):
    id: int = F("Stable identifier of the keynote.", example=7)
    title: str = F("The talk's title.")
    speaker: str = F("Who gave the talk, as the post names them.")
    affiliation: str = F("The speaker's affiliation, or empty.")
    speakers: list[Speaker] = F("The speakers' author records, in speaking order.")
    summary: str = F("A neutral abstract of the talk, or empty.")
    video_url: str = F("The curator's recording of the talk, or empty.")
    videos: list[Video] = F("Recordings readers suggested and a curator approved.")
    conference: ConferenceRef = F("Where the talk was given.")
    url: str = F("Absolute URL of the talk's public page.")


class KeynotePage(Page):
    results: list[Keynote] = F("The keynotes of this page.")


class Rendition(Schema):
    url: str = F("Absolute URL of a resized copy.")
    width: int = F("Its width in pixels.")
    type: str = F("Its media type.", example="image/webp")


class Image(Schema):
    url: str = F("Absolute URL of the image as uploaded or linked.")
    alt_text: str = F("What the image shows, for readers who cannot see it.")
    caption: str = F("The caption, or empty.")
    width: int | None = F("Width in pixels of the source, when known.")
    height: int | None = F("Height in pixels of the source, when known.")
    renditions: list[Rendition] = F("Resized copies, narrowest first; empty for external images.")


class PaperRef(Schema):
    slug: str = F("Stable identifier of the paper.", example="attention-is-all-you-need")
    title: str = F("The paper's title.")
    url: str = F("Absolute URL of the paper's public page.")


class KeynoteRef(Schema):
    id: int = F("Stable identifier of the keynote.")
    title: str = F("The talk's title.")
    speaker: str = F("Who gave the talk.")


class Entry(Schema):
    kind: str = F("`paper`, `keynote` or `free`.", example="paper")
    heading: str = F("The heading as published.")
    summary: str = F("The curator's summary (Markdown).")
    link_url: str = F("A link for the entry, or empty.")
    link_label: str = F("The link's label, or empty.")
    paper: PaperRef | None = F("The paper presented, for a paper entry.")
    keynote: KeynoteRef | None = F("The talk presented, for a keynote entry.")
    images: list[Image] = F("The entry's slides and figures, in order.")


class Section(Schema):
    title: str = F("The section heading.")
    body: str = F("Text under the heading (Markdown), or empty.")
    link_url: str = F("A link for the whole section, or empty.")
    link_label: str = F("The link's label, or empty.")
    entries: list[Entry] = F("The section's entries, in order.")


class PostSummary(Schema):
    slug: str = F("Stable identifier of the post.", example="neurips-2023-review")
    title: str = F("The post's title.", example="NeurIPS 2023 in review")
    subtitle: str = F("The subtitle, or empty.")
    author_name: str = F("The byline, or empty.")
    published_at: datetime.datetime = F("When it was published (ISO 8601, UTC).")
    updated_at: datetime.datetime = F("When it last changed (ISO 8601, UTC).")
    conference: ConferenceRef | None = F("The conference it reviews, if any.")
    tags: list[str] = F("Slugs of its tags, alphabetical.", example=["genomics"])
    url: str = F("Absolute URL of the post's public page.")
    markdown_url: str = F("Absolute URL of the post as Jekyll Markdown.")
    bibtex_url: str = F("Absolute URL of the BibTeX of the papers it features.")


class PostDetail(PostSummary):
    intro: str = F("Opening paragraphs (Markdown).")
    conclusion: str = F("Closing paragraphs (Markdown), or empty.")
    disclaimer: str = F("The disclaimer, or empty.")
    cover_image: Image | None = F("The cover image, if any.")
    sections: list[Section] = F("The post's sections, in order.")


class PostPage(Page):
    results: list[PostSummary] = F("The posts of this page, newest first.")


class Author(Schema):
    name: str = F("The author's name as printed.", example="Ada Lovelace")
    slug: str = F("Stable identifier of the author.", example="ada-lovelace")
    affiliation: str = F("Affiliation at the time of this paper, or empty.")


class Link(Schema):
    kind: str = F("`paper`, `pdf`, `openreview`, `arxiv`, `code` or `project`.")
    url: str = F("The link's address.")
    title: str = F("A title for the link, or empty.")


class ReviewExcerpt(Schema):
    attribution: str = F("As the paper page credits it.", example="Reviewer ab3X, rating 6/10")
    source_kind: str = F("`official_review`, `meta_review`, `decision` or `comment`.")
    reviewer_label: str = F("The anonymous reviewer label, or empty; never a name.")
    rating: Decimal | None = F("The rating, if the review gave one.")
    rating_scale: int = F("The top of the rating scale.", example=10)
    rating_label: str = F("The rating as the review form words it, or empty.")
    confidence: Decimal | None = F("The reviewer's confidence, if given.")
    confidence_label: str = F("The confidence as the form words it, or empty.")
    field: str = F("The review field quoted, e.g. `strengths`, or empty.")
    text: str = F("The quoted text.")
    source_url: str = F("Where the review is published, or empty.")


class Score(Schema):
    name: str = F("The sub-score as the page names it.", example="Soundness")
    value: str = F("Its value as the review form words it.", example="3 good")


class ReviewCardField(Schema):
    field: str = F("The review form's field, e.g. `strengths`, or empty.", example="strengths")
    label: str = F("The field as the page heads it.", example="Strengths")
    text: str = F("The field's text, whole.")


class ReviewCard(Schema):
    kind: str = F("`official_review`, `meta_review`, `decision` or `comment`.")
    label: str = F("The reviewer label or the note's kind; never a name.", example="Reviewer ab3X")
    rating: str = F("The rating on its scale, or empty.", example="6/10")
    rating_label: str = F("The rating as the form words it, or empty.")
    confidence_label: str = F("The reviewer's confidence as the form words it, or empty.")
    scores: list[Score] = F("Sub-scores (soundness, presentation, contribution), if given.")
    fields: list[ReviewCardField] = F("The note's fields the curators show, in order.")
    source_url: str = F("Where the note is published, or empty.")


class Reviews(Schema):
    review_count: int = F("How many official reviews the paper had.")
    mean_rating: Decimal | None = F("Their mean rating, if any was rated.")
    min_rating: Decimal | None = F("The lowest rating, if any was rated.")
    max_rating: Decimal | None = F("The highest rating, if any was rated.")
    rating_scale: int = F("The top of the scale of that mean.")
    excerpts: list[ReviewExcerpt] = F("The excerpts the curators pin on top, in order.")
    decisions: list[ReviewCard] = F("The decision notes, first on the page.")
    meta_reviews: list[ReviewCard] = F("The meta-reviews.")
    official_reviews: list[ReviewCard] = F("Each official review as one card.")
    comments: list[ReviewCard] = F("Other notes the curators show.")


class PaperSummary(Schema):
    slug: str = F("Stable identifier of the paper.", example="a-study-of-topic-1")
    title: str = F("The paper's title.", example="A Study of Topic 1")
    conference: ConferenceRef | None = F("Where it was presented; null for a preprint.")
    authors: list[Author] = F("Its authors, in order.")
    topics: list[str] = F("Slugs of its topics, alphabetical.")
    tldr: str = F("One or two sentences, or empty.")
    outcome: str = F(
        "`accepted`, `rejected`, `withdrawn`, `desk_rejected`, `under_review` or empty."
    )
    decision: str = F("The decision as the venue states it, or empty.")
    venue: str = F("The venue as it displays it, or empty.")
    publication_date: datetime.date | None = F("First public version (ISO 8601), or null.")
    url: str = F("Absolute URL of the paper's public page.")
    bibtex_url: str = F("Absolute URL of the paper's BibTeX.")
    ris_url: str = F("Absolute URL of the paper's citation as RIS (EndNote, Zotero).")
    csl_json_url: str = F("Absolute URL of the paper's citation as CSL-JSON (citeproc, pandoc).")


class PaperDetail(PaperSummary):
    abstract: str = F("The abstract.")
    contribution: str = F("What the paper adds, or empty.")
    findings: list[str] = F("Key findings, in order.")
    doi: str = F("The DOI, or empty.")
    arxiv_id: str = F("The arXiv id without version, or empty.")
    openreview_id: str = F("The OpenReview forum id, or empty.")
    links: list[Link] = F("Links to the paper, code and project pages (videos apart).")
    videos: list[Video] = F("Talks and walkthroughs readers suggested and a curator approved.")
    reviews: Reviews = F("Peer reviews as the paper page shows them.")


class PaperPage(Page):
    results: list[PaperSummary] = F("The papers of this page, by title.")


class Facet(Schema):
    key: str = F("The result type: `paper`, `post`, `keynote`, `entry` or `review`.")
    label: str = F("The type as the search page names it.")
    count: int = F("Matches of this type (counting stops past 1000).")
    capped: bool = F("True when the count stopped at its limit.")
    selected: bool = F("True when results are narrowed to this type.")


class OutcomeFacet(Schema):
    key: str = F("The normalized paper outcome, as the `outcome` parameter takes it.")
    label: str = F("The outcome as the search page names it.", example="Accepted (poster)")
    count: int = F("Matching papers with this outcome (counting stops past 1000 papers).")
    selected: bool = F("True when results are narrowed to this outcome.")


class SearchResult(Schema):
    kind: str = F("The result type.", example="paper")
    kind_label: str = F("The type as shown.", example="Paper")
    title_html: str = F("The title, HTML-escaped, matched words in <mark>.")
    snippet_html: str = F("A passage, HTML-escaped, matched words in <mark>.")
    meta: str = F("A short line of context (conference, authors).")
    url: str = F("Absolute URL of the result's public page.")


class SearchPage(Page):
    query: str = F("The query as understood.", example="protein folding")
    message: str = F("A hint about the query or the results, or empty.")
    fuzzy: bool = F("True when only near spellings matched.")
    page: int = F("This page's number.")
    num_pages: int = F("How many pages there are.")
    facets: list[Facet] = F("Counts per result type.")
    outcomes: list[OutcomeFacet] = F(
        "Matching papers per outcome, whatever the outcome filter; outcomes with none are left out."
    )
    results: list[SearchResult] = F("This page's results, best first.")


class AuthorPage(Page):
    results: list[AuthorSummary] = F("The people of this page, by name.")


class Affiliation(Schema):
    name: str = F("The affiliation as printed on a paper.", example="University of Oxford")
    years: str = F("The years it was printed, e.g. `2021–2023`, or empty.", example="2023")


class AuthorDetail(AuthorSummary):
    affiliations: list[Affiliation] = F("Affiliations over time, most recent first.")
    papers: list[PaperSummary] = F("Their public papers, newest first.")
    keynotes: list[Keynote] = F("Public keynotes they gave.")
    coauthors: list[AuthorSummary] = F("Everyone who shares a paper, most shared first.")
    posts: list[PostSummary] = F("Published posts featuring their papers or keynotes.")
