"""log_action writes to the admin's own log, so the post's history page shows it."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from reviews.workflow.audit import log_action
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def test_log_action_records_who_did_what_on_which_object(curator, curator_client):
    post = PostFactory()
    entry = log_action(user=curator, obj=post, message="Exported as Markdown")
    assert (entry.user, entry.object_id, entry.action_flag) == (curator, post.pk, CHANGE)
    assert entry.get_edited_object() == post
    history = curator_client.get(reverse("admin:reviews_post_history", args=[post.pk]))
    assert "Exported as Markdown" in history.content.decode()


def test_log_action_without_a_user_records_nothing():
    post = PostFactory()
    assert log_action(user=None, obj=post, message="Imported") is None
    assert log_action(user=AnonymousUser(), obj=post, message="Imported") is None
    assert not LogEntry.objects.exists()
