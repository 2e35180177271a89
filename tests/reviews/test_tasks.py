"""Markdown imports and image fetches run as tasks through the same services as the admin."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from reviews.models import Post
from reviews.tasks import fetch_images, import_markdown
from tests.conftest import REFERENCE_POST

pytestmark = pytest.mark.django_db


def staged():
    return default_storage.save("imports/upload.md", ContentFile(REFERENCE_POST.read_bytes()))


def test_a_staged_markdown_file_becomes_a_draft_of_the_curator_and_is_then_removed(
    curator, media_root
):
    name = staged()
    result = import_markdown.enqueue(name=name, filename=REFERENCE_POST.name, user_id=curator.pk)
    assert result.status == "SUCCESSFUL"
    post = Post.objects.get()
    assert (post.status, post.created_by) == (Post.Status.DRAFT, curator)
    assert result.return_value.startswith(f"{REFERENCE_POST.name}: created post “{post.slug}”")
    assert not default_storage.exists(name)


def test_a_refused_markdown_import_fails_with_the_services_message_and_keeps_the_file(
    curator, media_root
):
    name = default_storage.save("imports/broken.md", ContentFile(b"no front matter here\n"))
    result = import_markdown.enqueue(name=name, filename="broken.md", user_id=curator.pk)
    assert result.status == "FAILED"
    assert result.errors[0].exception_class_path == ("reviews.markdown.parse.MarkdownImportError")
    assert Post.objects.count() == 0
    assert default_storage.exists(name)


def test_fetching_the_images_of_an_unknown_post_says_so():
    result = fetch_images.enqueue(post_id=999_999)
    assert result.return_value == {"fetched": [], "failed": [], "error": "no post with id 999999"}
