"""A curator's unsaved edits of a section's or an entry's page: kept per user and part, by those
who may change the part only, keyed to a live post's draft, cleared by a save of the part."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from core.autosave import AutosaveRefused
from core.models import ContentVersion
from reviews.models import Entry, PartAutosave, Post, Section
from reviews.workflow import drafts, editing
from reviews.workflow.autosave import (
    autosave_part_edits,
    discard_part_autosave,
    pending_part_autosave,
)
from reviews.workflow.roles import CURATORS
from tests.factories import EntryFactory, PostFactory, SectionFactory, staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    return EntryFactory(section=SectionFactory(post=PostFactory(), order=0), order=0)


def test_an_entrys_edits_are_kept_once_per_user_and_replaced_by_the_next(curator, entry):
    autosave_part_edits(part=entry, by=curator, form_data=[["summary", "One"]], part_version=1)

    autosave_part_edits(
        part=entry,
        by=curator,
        form_data=[["summary", "Two\r\nlines"], ["images-0-alt_text", "Slide"], ["version", "1"]],
        part_version=1,
    )

    saved = pending_part_autosave(part=entry, by=curator)
    assert saved.form_data == [["summary", "Two\nlines"], ["images-0-alt_text", "Slide"]]
    assert (saved.entry, saved.section) == (entry, None)
    assert PartAutosave.objects.count() == 1


def test_a_section_and_its_entry_keep_separate_edits(curator, entry):
    section = entry.section
    autosave_part_edits(part=section, by=curator, form_data=[["title", "S"]], part_version=1)
    autosave_part_edits(part=entry, by=curator, form_data=[["summary", "E"]], part_version=1)

    assert pending_part_autosave(part=section, by=curator).form_data == [["title", "S"]]
    assert pending_part_autosave(part=entry, by=curator).form_data == [["summary", "E"]]
    assert discard_part_autosave(part=section, by=curator) == 1
    assert list(PartAutosave.objects.values_list("entry", flat=True)) == [entry.pk]


def test_the_database_refuses_a_row_of_no_part_or_of_both(curator, entry):
    for parts in ({}, {"section": entry.section, "entry": entry}):
        with pytest.raises(IntegrityError), transaction.atomic():
            PartAutosave.objects.create(user=curator, form_data=[], part_version=1, **parts)


def test_keeping_edits_leaves_the_cached_pages_alone(curator, entry):
    ContentVersion.objects.update_or_create(pk=1, defaults={"number": 7})

    autosave_part_edits(part=entry, by=curator, form_data=[["summary", "S"]], part_version=1)

    assert ContentVersion.objects.get(pk=1).number == 7


def test_a_contributor_may_not_keep_edits_of_someone_elses_post(contributor, entry):
    with pytest.raises(PermissionDenied, match="You may not change this post"):
        autosave_part_edits(
            part=entry, by=contributor, form_data=[["summary", "S"]], part_version=1
        )

    assert pending_part_autosave(part=entry, by=contributor) is None
    assert PartAutosave.objects.count() == 0


def test_a_contributor_keeps_edits_of_their_own_drafts_entry(contributor):
    post = PostFactory(created_by=contributor)
    entry = EntryFactory(section=SectionFactory(post=post, order=0), order=0)

    autosave_part_edits(part=entry, by=contributor, form_data=[["summary", "S"]], part_version=1)

    assert pending_part_autosave(part=entry, by=contributor).form_data == [["summary", "S"]]


def test_a_malformed_or_oversized_form_state_is_refused_in_words(curator, entry):
    with pytest.raises(AutosaveRefused, match=r"list of \[name, value\] pairs of text"):
        autosave_part_edits(part=entry, by=curator, form_data={"a": 1}, part_version=1)
    with pytest.raises(AutosaveRefused, match="more than 2,000,000 characters"):
        autosave_part_edits(
            part=entry, by=curator, form_data=[["summary", "x" * 2_000_001]], part_version=1
        )

    assert PartAutosave.objects.count() == 0


def test_saving_the_entry_clears_the_savers_kept_edits_only(curator, entry):
    other = staff_member("other-curator", CURATORS)
    for user in (curator, other):
        autosave_part_edits(part=entry, by=user, form_data=[["summary", "S"]], part_version=1)

    editing.save_entry(entry=entry, by=curator, expected_version=entry.version)

    assert list(PartAutosave.objects.values_list("user__username", flat=True)) == ["other-curator"]


def test_saving_the_section_clears_the_savers_kept_edits(curator, entry):
    section = entry.section
    autosave_part_edits(part=section, by=curator, form_data=[["title", "S"]], part_version=1)

    editing.save_section(section=section, by=curator, expected_version=section.version)

    assert not PartAutosave.objects.exists()


def test_a_live_posts_entry_keeps_its_edits_on_the_drafts_entry(curator):
    live = PostFactory(published=True)
    entry = EntryFactory(section=SectionFactory(post=live, order=0), order=0)

    saved = autosave_part_edits(
        part=entry, by=curator, form_data=[["summary", "Draft"]], part_version=1
    )

    copy = Post.objects.get(working_copy_of=live)
    assert saved.entry == Entry.objects.get(section__post=copy)
    assert not PartAutosave.objects.filter(entry=entry).exists()


def test_a_draft_with_kept_part_edits_is_not_thrown_away_on_reopening(curator):
    live = PostFactory(published=True)
    SectionFactory(post=live, order=0)
    copy = drafts.open_working_copy(post=live, by=curator)
    section = Section.objects.get(post=copy)
    autosave_part_edits(part=section, by=curator, form_data=[["title", "T"]], part_version=1)

    assert drafts.open_working_copy(post=live, by=curator) == copy
    assert pending_part_autosave(part=section, by=curator).form_data == [["title", "T"]]


def test_publishing_the_draft_forgets_the_edits_kept_of_its_parts(curator):
    live = PostFactory(published=True)
    EntryFactory(section=SectionFactory(post=live, order=0), order=0)
    copy = drafts.open_working_copy(post=live, by=curator)
    twin = Entry.objects.get(section__post=copy)
    autosave_part_edits(part=twin, by=curator, form_data=[["summary", "S"]], part_version=1)
    autosave_part_edits(part=twin.section, by=curator, form_data=[["title", "T"]], part_version=1)

    drafts.publish_changes(copy=copy, by=curator)

    assert Entry.objects.get(section__post=live).pk == twin.pk
    assert not PartAutosave.objects.exists()
