"""Keynote speakers as Author records: the one writer of `KeynoteSpeaker` rows besides a merge.

A keynote's `speaker` is the name its post prints ("Title - Speaker (Affiliation)"); the link
makes that person an author of the site, with a page listing their papers and talks. The
callers (save_keynote for the admin and the entry page's keynote-in-place, the Markdown
importer, the demo) have already checked the acting user's right to write the keynote.
"""

from django.db import transaction
from django.utils.text import slugify

from core.side_effects import batched
from papers.models import Author
from reviews.models import Keynote, KeynoteSpeaker


def speaker_author(name: str) -> Author:
    """The author a speaker's name means: the oldest record of exactly that name, or a new one."""
    author = Author.objects.filter(name=name).order_by("pk").first()
    if author is None:
        author = Author(name=name)
        author.full_clean(exclude=["slug"])
        author.save()
    return author


def link_keynote_speakers(*, keynote: Keynote) -> list[KeynoteSpeaker]:
    """Make the keynote's speaker links match its `speaker` and `affiliation`.

    Idempotent: a link already naming an author of that name is kept (and its affiliation
    brought up to date), so a merged or hand-picked author is not replaced on the next save.
    """
    name = keynote.speaker.strip()
    with transaction.atomic(), batched():
        links = list(keynote.speaker_links.select_related("author").order_by("order"))
        kept = next((link for link in links if link.author.name == name), None)
        stale = [link.pk for link in links if link is not kept]
        if stale:
            KeynoteSpeaker.objects.filter(pk__in=stale).delete()
        if not name:
            return []
        if kept is None:
            kept = KeynoteSpeaker(
                keynote=keynote,
                author=speaker_author(name),
                order=0,
                affiliation=keynote.affiliation,
            )
            kept.save()
        elif (kept.order, kept.affiliation) != (0, keynote.affiliation):
            kept.order, kept.affiliation = 0, keynote.affiliation
            kept.save(update_fields=["order", "affiliation"])
    return [kept]


def link_new_keynotes(*, keynotes) -> None:
    """Speaker links for keynotes just inserted in bulk (a Markdown import), in a fixed number
    of queries: the authors of those names in one, the missing authors in one INSERT, the links
    in another. Each keynote's `speakers` is filled as selectors.speaker_links() fills it, so
    the post's body renders from memory with its links."""
    keynotes = [keynote for keynote in keynotes if keynote.speaker.strip()]
    names = {keynote.speaker.strip() for keynote in keynotes}
    authors = {}
    for author in Author.objects.filter(name__in=names).order_by("-pk"):
        authors[author.name] = author  # the oldest of a name wins, as in speaker_author
    missing = sorted(names - authors.keys())
    if missing:
        bases = {name: slugify(name)[:200].strip("-") or "author" for name in missing}
        taken = set(Author.objects.filter(slug__in=bases.values()).values_list("slug", flat=True))
        new = []
        for name in missing:
            slug, n = bases[name], 1
            while slug in taken or (n > 1 and Author.objects.filter(slug=slug).exists()):
                n += 1
                slug = f"{bases[name]}-{n}"
            taken.add(slug)
            new.append(Author(name=name, slug=slug))
        Author.objects.bulk_create(new)
        authors.update((author.name, author) for author in new)
    links = [
        KeynoteSpeaker(
            keynote=keynote,
            author=authors[keynote.speaker.strip()],
            order=0,
            affiliation=keynote.affiliation,
        )
        for keynote in keynotes
    ]
    KeynoteSpeaker.objects.bulk_create(links)
    for link in links:
        link.keynote.speakers = [link]
