"""Keynote speakers as Author records: the one writer of `KeynoteSpeaker` rows besides a merge.

A keynote's `speaker` is the name its post prints ("Title - Speaker (Affiliation)"); the link
makes that person an author of the site, with a page listing their papers and talks. The
callers (save_keynote for the admin and the entry page's keynote-in-place, the Markdown
importer, the demo) have already checked the acting user's right to write the keynote.

Links are automatic (one, to the author of the speaker's exact name) or chosen by a curator
(set_keynote_speakers: any authors, in order), which records the speaker text they were chosen
for in `Keynote.speakers_chosen_for`. An automatic relink leaves chosen links alone while the
speaker text still reads so; once it changes, the links follow the new text by name again.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from core.ordering import write_order
from core.side_effects import batched
from papers.models import Author
from reviews.models import Keynote, KeynoteSpeaker

TWICE = next(
    constraint.violation_error_message
    for constraint in KeynoteSpeaker._meta.constraints
    if constraint.name == "keynotespeaker_unique_author"
)


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
    Links a curator chose for the current speaker text are kept as they are.
    """
    name = keynote.speaker.strip()
    with transaction.atomic(), batched():
        links = list(keynote.speaker_links.select_related("author").order_by("order"))
        if keynote.speakers_chosen_for:
            if keynote.speakers_chosen_for == name:
                return links
            keynote.speakers_chosen_for = ""
            keynote.save(update_fields=["speakers_chosen_for"])
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


def set_keynote_speakers(
    *, keynote: Keynote, speakers: list[tuple[Author, str]]
) -> list[KeynoteSpeaker]:
    """A curator's choice of speakers, as (author, affiliation at the talk) in speaking order:
    the keynote's links become exactly these, chosen for its current speaker text.

    Links of authors still named keep their row; the order is written in two passes
    (core.ordering), so moving speakers never collides with the unique order.
    """
    authors = [author.pk for author, _ in speakers]
    if len(set(authors)) != len(authors):
        raise ValidationError(TWICE)
    with transaction.atomic(), batched():
        stored = {link.author_id: link for link in keynote.speaker_links.select_for_update()}
        gone = [link.pk for author, link in stored.items() if author not in authors]
        if gone:
            KeynoteSpeaker.objects.filter(pk__in=gone).delete()
        top = max((link.order for link in stored.values()), default=-1) + 1
        links = []
        for n, (author, affiliation) in enumerate(speakers):
            link = stored.get(author.pk) or KeynoteSpeaker(
                keynote=keynote, author=author, order=top + n
            )
            link.author, link.affiliation = author, affiliation
            link.full_clean(exclude=["keynote", "author", "order"], validate_unique=False)
            links.append(link)
        KeynoteSpeaker.objects.bulk_update([link for link in links if link.pk], ["affiliation"])
        KeynoteSpeaker.objects.bulk_create([link for link in links if link.pk is None])
        write_order(
            rows=keynote.speaker_links.all(),
            ids=[link.pk for link in links],
            stale="The speakers changed meanwhile; reload the page.",
        )
        keynote.speakers_chosen_for = keynote.speaker.strip()
        keynote.save(update_fields=["speakers_chosen_for"])
    return links


def links_follow_speaker(keynote: Keynote) -> bool:
    """Whether the links loaded in `keynote.speakers` (selectors.speaker_links()) are the ones
    its speaker text asks for; answered from memory, with no query."""
    name = keynote.speaker.strip()
    if keynote.speakers_chosen_for:
        return keynote.speakers_chosen_for == name
    if not name:
        return not keynote.speakers
    return [(link.author.name, link.order, link.affiliation) for link in keynote.speakers] == [
        (name, 0, keynote.affiliation)
    ]


def relink_keynotes(*, keynotes) -> None:
    """Relink the stored keynotes (loaded with selectors.speaker_links()) whose links no longer
    follow their speaker text, as a Markdown import reusing them does; the others cost nothing."""
    stale = {id(keynote): keynote for keynote in keynotes if not links_follow_speaker(keynote)}
    for keynote in stale.values():
        keynote.speakers = link_keynote_speakers(keynote=keynote)


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
