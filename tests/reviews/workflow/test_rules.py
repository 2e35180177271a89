"""The object-level rules: the post a part goes into counts as much as the one it leaves."""

import pytest
from django.contrib.auth.models import AnonymousUser

from reviews.models import Entry, Section
from reviews.workflow import rules
from tests.factories import EntryFactory, PostFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_a_contributor_may_not_add_a_section_to_someone_elses_post(contributor, curator):
    own, theirs = PostFactory(created_by=contributor), PostFactory(created_by=curator)
    assert rules.can_change_part(contributor, part=Section(post=own), target_post=own)
    assert not rules.can_change_part(contributor, part=Section(post=theirs), target_post=theirs)


def test_moving_an_entry_needs_the_right_on_both_posts(contributor, curator):
    entry = EntryFactory(section__post__created_by=contributor)
    theirs = SectionFactory(post=PostFactory(created_by=curator))
    moved = Entry.objects.get(pk=entry.pk)
    moved.section = theirs
    assert not rules.can_change_part(contributor, part=moved, target_post=theirs.post)
    assert rules.can_change_part(curator, part=moved, target_post=theirs.post)
    assert rules.stored_post_of(moved) == entry.section.post


def test_a_draft_preview_needs_the_right_to_change_that_post(contributor, curator):
    draft, live = PostFactory(created_by=curator), PostFactory(published=True)
    assert not rules.can_preview_post(contributor, draft)
    assert rules.can_preview_post(curator, draft)
    assert rules.can_preview_post(AnonymousUser(), live)


def test_the_shell_operator_may_import_anything_and_a_contributor_only_their_drafts(
    contributor, curator
):
    published = PostFactory(created_by=contributor, published=True)
    assert rules.can_import(None, existing_post=published)
    assert not rules.can_import(contributor, existing_post=published)
    assert rules.can_import(curator, existing_post=published)
    assert rules.can_import(contributor)
