"""Merging duplicate authors: the one writer that moves a person's papers, talks and address.

Keynote speakers are linked to authors (reviews.KeynoteSpeaker): a merge moves the merged
people's links to the kept author and renames their keynotes' speaker text to the kept name, so
the next save of the keynote keeps the link. Papers cannot import reviews, so those models are
reached through the app registry.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import transaction

from core.side_effects import batched
from papers.models import Author, AuthorRedirect, Authorship
from papers.rules import can_change_papers


class MergeRefused(Exception):
    """The merge cannot run as asked; the message says why."""


@dataclass
class MergeReport:
    kept: Author
    merged: list[str] = field(default_factory=list)
    authorships_moved: int = 0
    duplicates_dropped: int = 0
    keynotes_renamed: int = 0
    talks_moved: int = 0


def merge_authors(*, keep: Author, others: list[Author], by) -> MergeReport:
    """Fold `others` into `keep`: their authorships (one per paper), keynotes, identifiers where
    `keep` has none, and their addresses (a redirect each, earlier redirects repointed).

    Runs in one transaction with every author row locked, so two curators merging the same
    people at once cannot both move them: the second finds them gone and is refused.
    """
    if not can_change_papers(by):
        raise PermissionDenied("Only curators may merge authors.")
    other_pks = sorted({o.pk for o in others} - {keep.pk})
    if not other_pks:
        raise MergeRefused("Choose at least one other author to merge into the kept one.")
    Keynote = apps.get_model("reviews", "Keynote")
    KeynoteSpeaker = apps.get_model("reviews", "KeynoteSpeaker")
    with transaction.atomic(), batched():
        locked = {
            a.pk: a
            for a in Author.objects.select_for_update()
            .filter(pk__in=[keep.pk, *other_pks])
            .order_by("pk")
        }
        missing = [pk for pk in [keep.pk, *other_pks] if pk not in locked]
        if missing:
            raise MergeRefused("An author was merged or deleted meanwhile; reload and try again.")
        kept = locked[keep.pk]
        report = MergeReport(kept=kept)
        on_papers = dict(kept.authorships.values_list("paper_id", "pk"))
        for pk in other_pks:
            other = locked[pk]
            for authorship in Authorship.objects.select_for_update().filter(author=other):
                if authorship.paper_id in on_papers:
                    _keep_affiliation(on_papers[authorship.paper_id], authorship)
                    authorship.delete()
                    report.duplicates_dropped += 1
                else:
                    authorship.author = kept
                    authorship.save(update_fields=["author"])
                    on_papers[authorship.paper_id] = authorship.pk
                    report.authorships_moved += 1
            talks = set(KeynoteSpeaker.objects.filter(author=kept).values_list("keynote_id"))
            for link in KeynoteSpeaker.objects.select_for_update().filter(author=other):
                if (link.keynote_id,) in talks:
                    link.delete()
                else:
                    link.author = kept
                    link.save(update_fields=["author"])
                    report.talks_moved += 1
            for keynote in Keynote.objects.filter(speaker=other.name).exclude(speaker=kept.name):
                keynote.speaker = kept.name
                if keynote.speakers_chosen_for == other.name:  # chosen links stay chosen
                    keynote.speakers_chosen_for = kept.name
                keynote.save(update_fields=["speaker", "speakers_chosen_for"])
                report.keynotes_renamed += 1
            kept.openreview_id = kept.openreview_id or other.openreview_id
            kept.orcid = kept.orcid or other.orcid
            AuthorRedirect.objects.filter(author=other).update(author=kept)
            AuthorRedirect.objects.filter(old_slug=kept.slug).delete()
            AuthorRedirect.objects.update_or_create(old_slug=other.slug, defaults={"author": kept})
            report.merged.append(other.name)
            other.delete()
        kept.save(update_fields=["openreview_id", "orcid"])
    return report


def _keep_affiliation(kept_pk: int, dropped: Authorship) -> None:
    """The kept authorship on a shared paper takes the dropped one's affiliation if it has none."""
    if dropped.affiliation:
        kept = Authorship.objects.get(pk=kept_pk)
        if not kept.affiliation:
            kept.affiliation = dropped.affiliation
            kept.save(update_fields=["affiliation"])
