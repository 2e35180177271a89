from django.db.models import Count, F
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView, TemplateView

from papers.cards import card_rows, paper_cards, with_cards
from papers.models import AuthorRedirect, Paper, TaggedPaper
from papers.pages import paper_page, with_page
from papers.selectors import approved_videos
from reviews import structured_data
from reviews.cards import post_cards, with_post_cards
from reviews.markdown.export import render_post_markdown
from reviews.models import Post
from reviews.rendering import post_body
from reviews.selectors import (
    author_names,
    author_page,
    conference_links,
    keynotes_with_videos,
    paper_decisions_offered,
    paper_topics_offered,
    post_listing,
    post_page,
    post_with_content,
    published_posts_featuring,
    tag_cloud,
    tag_cloud_rows,
    visible_author,
)
from reviews.visibility import (
    public_authors,
    public_condition,
    public_conferences,
    public_keynotes,
    public_papers,
    public_posts,
    public_topics,
    visible_authors,
    visible_conferences,
    visible_keynotes,
    visible_papers,
)
from reviews.workflow.rules import can_preview_post


class PublishedPostMixin:
    """Published posts for everyone; a draft only for those who may change it (never cached)."""

    def get_queryset(self):
        if self.request.user.is_staff:
            return post_with_content()
        return post_with_content(Post.objects.published())

    def get_object(self, queryset=None):
        post = super().get_object(queryset)
        if not can_preview_post(self.request.user, post):
            raise Http404("No published post at this address.")
        return post

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not self.object.is_public:
            add_never_cache_headers(response)
        return response


class PostListView(ListView):
    """The home page: latest posts, the conferences and the tag cloud."""

    template_name = "reviews/post_list.html"
    context_object_name = "posts"
    paginate_by = 10

    def get_queryset(self):
        return with_post_cards(public_posts())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["post_cards"] = post_cards(context["posts"])
        context["conferences"] = conference_links()
        context["tags"] = tag_cloud_rows()
        return context


class PostDetailView(PublishedPostMixin, DetailView):
    """A post; its body is stored at save time (reviews.rendering), so only the row is read."""

    template_name = "reviews/post_detail.html"
    context_object_name = "post"

    def get_queryset(self):
        if self.request.user.is_staff:
            return post_page()
        return post_page(Post.objects.published())

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Http404:
            raise Http404("No published post at this address.") from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        post = self.object
        context["body"] = post_body(post)
        context["jsonld"] = structured_data.blog_posting(post)
        if post.is_public:
            published = public_posts().only("title", "slug", "published_at")
            context["previous_post"] = (
                published.filter(published_at__lt=post.published_at).order_by("-published_at")
            ).first()
            context["next_post"] = (
                published.filter(published_at__gt=post.published_at).order_by("published_at")
            ).first()
        return context


class PreviewMixin:
    """Readers see public records only; staff also preview what only drafts feature, uncached."""

    def is_public(self, obj):
        raise NotImplementedError

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.request.user.is_staff and not self.is_public(self.object):
            add_never_cache_headers(response)
        return response


class ConferenceDetailView(PreviewMixin, DetailView):
    template_name = "papers/conference_detail.html"
    context_object_name = "conference"

    def get_queryset(self):
        return visible_conferences(self.request.user)

    def is_public(self, conference):
        return public_conferences().filter(pk=conference.pk).exists()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        posts = with_post_cards(public_posts().for_conference(self.object))
        context["post_cards"] = post_cards(posts, level=3)
        context["papers"] = list(card_rows(visible_papers(user).for_conference(self.object)))
        context["cards"] = paper_cards(context["papers"])
        # One conference's keynotes: by title, as their ordering across conferences has them,
        # with no join to the conference for it and only the columns shown.
        keynotes = visible_keynotes(user).filter(conference=self.object).order_by("title", "pk")
        context["keynotes"] = keynotes.only("title", "speaker", "affiliation", "summary")
        return context


class PaperDetailView(PreviewMixin, DetailView):
    """A paper: its page is stored when what it shows changes (papers.pages); only the posts
    featuring it are read per request, as visibility decides them."""

    template_name = "papers/paper_detail.html"
    context_object_name = "paper"

    def get_queryset(self):
        return with_page(visible_papers(self.request.user))

    def is_public(self, paper):
        return public_papers().filter(pk=paper.pk).exists()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page"] = paper_page(self.object)
        featuring = published_posts_featuring(self.object)
        context["featured_in"] = featuring.only("title", "slug", "published_at")
        return context


class KeynoteDetailView(PreviewMixin, DetailView):
    """A talk: speaker (their author page), summary, videos, posts."""

    template_name = "reviews/keynote_detail.html"
    context_object_name = "keynote"

    def get_queryset(self):
        return keynotes_with_videos(visible_keynotes(self.request.user))

    def is_public(self, keynote):
        return public_keynotes().filter(pk=keynote.pk).exists()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        keynote = self.object
        context["videos"] = approved_videos(keynote)
        context["speaker"] = keynote.speakers[0].author if keynote.speakers else None
        context["featured_in"] = post_listing(
            public_posts().filter(sections__entries__keynote=keynote).distinct()
        )
        context["jsonld"] = structured_data.keynote_event(keynote, context["videos"])
        return context


class TagListView(ListView):
    template_name = "reviews/tag_list.html"
    context_object_name = "tags"

    def get_queryset(self):
        return tag_cloud()


class TagDetailView(TemplateView):
    """Public posts and papers with a tag; the slug matches case-insensitively.

    A tag used only by drafts is a 404: its name alone would leak the draft.
    """

    template_name = "reviews/tag_detail.html"

    def get(self, request, *args, **kwargs):
        self.tag = get_object_or_404(public_topics(), slug__iexact=kwargs["slug"])
        if self.tag.slug != kwargs["slug"]:
            return redirect("reviews:tag-detail", slug=self.tag.slug, permanent=True)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tag"] = self.tag
        context["post_cards"] = post_cards(
            with_post_cards(public_posts().tagged(self.tag)), level=3
        )
        context["papers"] = list(with_cards(public_papers().filter(topics=self.tag)))
        context["cards"] = paper_cards(context["papers"])
        return context


class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"


class PostMarkdownView(PublishedPostMixin, DetailView):
    """The post as Jekyll Markdown; drafts only for staff, never cached."""

    def render_to_response(self, context, **kwargs):
        response = HttpResponse(
            render_post_markdown(self.object), content_type="text/markdown; charset=utf-8"
        )
        response["Content-Disposition"] = f'inline; filename="{self.object.slug}.md"'
        if not self.object.is_public:
            add_never_cache_headers(response)
        return response

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Http404:
            raise Http404("No published post at this address.") from None


class ConferenceListView(ListView):
    template_name = "papers/conference_list.html"
    context_object_name = "conferences"

    def get_queryset(self):
        public = public_condition("papers__")
        return public_conferences().annotate(paper_count=Count("papers", filter=public))


class PaperListView(ListView):
    """Public papers filtered by conference, year, topic, outcome and decision, faceted by
    outcome and sorted by `?sort=` (GET parameters; unknown values are ignored)."""

    template_name = "papers/paper_list.html"
    context_object_name = "papers"
    paginate_by = 25
    FILTERS = {
        "conference": "conference__slug",
        "year": "conference__year",
        "topic": "topics__slug",
        "outcome": "outcome",
        "decision": "decision",
    }
    SORTS = {
        "title": ("Title", ["title", "pk"]),
        "date": ("Newest", [F("publication_date").desc(nulls_last=True), "title", "pk"]),
        "rating": ("Mean rating", [F("mean_rating").desc(nulls_last=True), "title", "pk"]),
        "reviews": ("Number of reviews", ["-review_count", "title", "pk"]),
    }

    def get_filters(self):
        filters = {}
        for param, lookup in self.FILTERS.items():
            value = self.request.GET.get(param, "").strip()
            if param == "year" and not value.isdigit():
                continue
            if value:
                filters[param] = (lookup, value)
        return filters

    def get_sort(self) -> str:
        sort = self.request.GET.get("sort", "")
        return sort if sort in self.SORTS else "title"

    def filtered(self, *, without=()):
        lookups = dict(v for k, v in self.get_filters().items() if k not in without)
        # The topic as a subquery, not a join: no duplicate rows, so no DISTINCT, which made
        # PostgreSQL compute every paper's review statistics before the page's LIMIT (8 s at
        # 5,000 papers, for the rows and again for the paginator's count).
        if topic := lookups.pop("topics__slug", None):
            tagged = TaggedPaper.objects.filter(tag__slug=topic).values("content_object")
            lookups["pk__in"] = tagged
        return public_papers().filter(**lookups)

    def get_queryset(self):
        sort = self.get_sort()
        papers = self.filtered()
        if sort in ("rating", "reviews"):
            papers = papers.with_review_stats()
        return with_cards(papers).order_by(*self.SORTS[sort][1])

    def get_paginator(self, queryset, per_page, **kwargs):
        """The paginator counts nothing itself: the outcome facets count the papers the other
        filters leave, per outcome, so the list's count is their sum, or the chosen one's."""
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        self.outcome_counts = self.count_outcomes()
        if outcome := self.get_filters().get("outcome"):
            paginator.count = self.outcome_counts.get(outcome[1], 0)
        else:
            paginator.count = sum(self.outcome_counts.values())
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cards"] = paper_cards(context["papers"])
        context["selected"] = {param: value for param, (_, value) in self.get_filters().items()}
        context["sort"] = self.get_sort()
        context["sorts"] = [(key, label) for key, (label, _) in self.SORTS.items()]
        conferences = conference_links()
        context["conferences"] = conferences
        # The years of the same rows: no second query.
        context["years"] = sorted({conference.year for conference in conferences}, reverse=True)
        context["topics"] = paper_topics_offered()
        context["decisions"] = paper_decisions_offered()
        context["outcomes"] = [
            (value, label, self.outcome_counts[value])
            for value, label in Paper.Outcome.choices
            if self.outcome_counts.get(value)
        ]
        query = self.request.GET.copy()
        query.pop("page", None)
        context["filter_query"] = query.urlencode()
        query.pop("outcome", None)
        context["facet_query"] = query.urlencode()
        return context

    def count_outcomes(self) -> dict[str, int]:
        """{outcome: papers} among the papers the other filters leave (the facets)."""
        return dict(
            self.filtered(without={"outcome"})
            .order_by()
            .values_list("outcome")
            .annotate(papers=Count("pk", distinct=True))
        )


class AuthorListView(ListView):
    """People with a public paper or keynote; `?q=` matches any part of the name."""

    template_name = "papers/author_list.html"
    context_object_name = "authors"
    paginate_by = 50

    def get_queryset(self):
        return author_names(query=self.request.GET.get("q", "").strip()[:100])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["query"] = self.request.GET.get("q", "").strip()[:100]
        query = self.request.GET.copy()
        query.pop("page", None)
        context["filter_query"] = query.urlencode()
        return context


class AuthorDetailView(PreviewMixin, DetailView):
    """A person: papers newest first, affiliations over time, co-authors, keynotes, posts."""

    template_name = "papers/author_detail.html"
    context_object_name = "author"

    def get(self, request, *args, **kwargs):
        """A merged author's old address answers 301 to the author it was merged into."""
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            moved = (
                AuthorRedirect.objects.filter(
                    old_slug=kwargs["slug"], author__in=visible_authors(request.user)
                )
                .select_related("author")
                .first()
            )
            if moved is None:
                raise
            return redirect(moved.author, permanent=True)

    def get_object(self, queryset=None):
        author = visible_author(slug=self.kwargs["slug"], user=self.request.user)
        if author is None:
            raise Http404("No author found matching the query")
        return author

    def is_public(self, author):
        return public_authors().filter(pk=author.pk).exists()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = author_page(author=self.object, user=self.request.user)
        context.update(
            papers=page.papers,
            cards=page.cards,
            keynotes=page.keynotes,
            affiliations=page.affiliations,
            coauthors=page.coauthors,
            posts=page.posts,
        )
        return context
