"""A realistic data set for benchmarks: posts shaped like the example, papers with reviews, tags."""

import datetime
import random

from django.db import transaction
from django.utils import timezone
from taggit.models import Tag

from core.side_effects import batched
from papers.models import Author, Authorship, Conference, Paper, PaperLink, PeerReviewExcerpt
from reviews.models import Entry, GalleryImage, Keynote, Post, Section, TaggedPost

WORDS = [
    "protein",
    "genome",
    "model",
    "diffusion",
    "transformer",
    "cell",
    "drug",
    "molecule",
    "scaling",
    "benchmark",
    "dataset",
    "clinical",
    "imaging",
    "radiology",
    "language",
    "causal",
    "inference",
    "graph",
    "sequence",
    "antibody",
    "docking",
    "binding",
    "representation",
    "learning",
    "self-supervised",
    "foundation",
]


def sentence(rng, n=14):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


@transaction.atomic
@batched()
def build_dataset(*, posts=50, papers=5000, tags=200, seed=7):
    rng = random.Random(seed)
    tag_objs = Tag.objects.bulk_create(
        Tag(name=f"topic {i}", slug=f"topic-{i}") for i in range(tags)
    )
    conferences = [
        Conference.objects.create(short_name=name, year=year, slug=f"{name.lower()}-{year}")
        for name in ("NeurIPS", "ICML", "ICLR", "MLHC", "RECOMB")
        for year in (2022, 2023)
    ]
    authors = Author.objects.bulk_create(
        Author(name=f"Author {i}", slug=f"author-{i}") for i in range(papers // 2)
    )
    paper_objs = Paper.objects.bulk_create(
        Paper(
            conference=conferences[i % len(conferences)],
            title=f"{sentence(rng, 6)[:-1]} {i}",
            slug=f"paper-{i}",
            abstract=" ".join(sentence(rng) for _ in range(8)),
            tldr=sentence(rng),
            contribution=sentence(rng),
            findings=[sentence(rng) for _ in range(3)],
            decision="Accept (poster)",
        )
        for i in range(papers)
    )
    Authorship.objects.bulk_create(
        Authorship(paper=p, author=authors[(i * 3 + k) % len(authors)], order=k, affiliation="Lab")
        for i, p in enumerate(paper_objs)
        for k in range(3)
    )
    PaperLink.objects.bulk_create(
        PaperLink(paper=p, url=f"https://arxiv.org/abs/2301.{i:05d}", order=0)
        for i, p in enumerate(paper_objs)
    )
    PeerReviewExcerpt.objects.bulk_create(
        PeerReviewExcerpt(
            paper=p,
            reviewer_label=f"Reviewer {k}x{i % 97}",
            rating=rng.choice([3, 5, 6, 8]),
            text=" ".join(sentence(rng) for _ in range(3)),
            featured=k < 2,
            order=k,
        )
        for i, p in enumerate(paper_objs)
        for k in range(4)
    )
    TaggedPaper = Paper.topics.through
    TaggedPaper.objects.bulk_create(
        TaggedPaper(content_object=p, tag=tag_objs[(i + k) % tags])
        for i, p in enumerate(paper_objs)
        for k in range(2)
    )
    now = timezone.now()
    for n in range(posts):
        conference = conferences[n % len(conferences)]
        post = Post.objects.create(
            title=f"{conference} Review {n}",
            slug=f"review-{n}",
            subtitle="What happened at the conference?",
            conference=conference,
            author_name="Bench Curator",
            cover_image_url="http://img.example.org/cover.png",
            intro="\n\n".join(sentence(rng, 30) for _ in range(2)),
            conclusion="Overall:\n- " + "\n- ".join(sentence(rng) for _ in range(3)),
            disclaimer="DISCLAIMER: " + sentence(rng),
            status=Post.Status.PUBLISHED,
            published_at=now - datetime.timedelta(days=n),
        )
        TaggedPost.objects.bulk_create(
            TaggedPost(content_object=post, tag=tag_objs[(n + k) % tags]) for k in range(3)
        )
        keynotes = Section.objects.create(post=post, title="Keynotes", order=0)
        selected = Section.objects.create(post=post, title="Selected papers", order=1)
        entries = []
        for k in range(2):
            keynote = Keynote.objects.create(
                conference=conference, speaker=f"Speaker {n}-{k}", title=sentence(rng, 6)
            )
            entries.append(
                Entry(
                    section=keynotes,
                    order=k,
                    kind="keynote",
                    keynote=keynote,
                    summary=sentence(rng, 40),
                )
            )
        for k in range(12):
            entries.append(
                Entry(
                    section=selected,
                    order=k,
                    kind="paper",
                    paper=paper_objs[(n * 12 + k) % papers],
                    summary=sentence(rng, 40),
                    link_url=f"https://arxiv.org/abs/2301.{k:05d}",
                )
            )
        entries = Entry.objects.bulk_create(entries)
        GalleryImage.objects.bulk_create(
            GalleryImage(
                entry=e,
                order=i,
                alt_text=f"Slide {i + 1} of 4",
                external_url=f"http://img.example.org/{e.pk}-{i}.png",
            )
            for e in entries
            for i in range(4)
        )
    return {"posts": posts, "papers": papers, "tags": tags}
