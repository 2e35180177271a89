import io
import zipfile
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from papers.models import Paper
from reviews.markdown.export import canonical, render_post_markdown
from reviews.models import Entry, Post
from reviews.workflow.roles import CURATORS
from tests.factories import PostFactory, staff_member
from tests.fixtures import INVALID_POSTS, POSTS

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/reviews/post/import-markdown/"
CHANGELIST = "/admin/reviews/post/"
FORM = "application/x-www-form-urlencoded"


def upload(path, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="text/markdown")


def test_the_import_page_is_linked_from_the_post_list(curator_client):
    assert reverse("admin:reviews_post_import_markdown") == IMPORT_URL

    response = curator_client.get(CHANGELIST)

    assert f'href="{IMPORT_URL}"'.encode() in response.content


def test_export_action_gives_one_markdown_file_for_one_post(curator_client):
    post = PostFactory(slug="one-post")

    response = curator_client.post(
        CHANGELIST, {"action": "export_markdown", "_selected_action": [post.pk]}
    )

    assert response["Content-Disposition"] == 'attachment; filename="one-post.md"'
    assert response.content.decode() == render_post_markdown(post)


def test_export_action_gives_a_zip_for_several_posts(curator_client):
    posts = [PostFactory(slug="b-post"), PostFactory(slug="a-post", published=True)]

    response = curator_client.post(
        CHANGELIST, {"action": "export_markdown", "_selected_action": [p.pk for p in posts]}
    )

    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.namelist() == ["a-post.md", "b-post.md"]
        assert archive.read("b-post.md").decode() == render_post_markdown(posts[0])


def test_bundle_action_gives_a_jekyll_zip(curator_client):
    post = PostFactory(slug="bundle-me", published=True)

    response = curator_client.post(
        CHANGELIST, {"action": "export_jekyll_bundle", "_selected_action": [post.pk]}
    )

    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.namelist() == [f"_posts/{post.published_at:%Y-%m-%d}-bundle-me.md"]


def test_import_page_previews_without_writing_then_confirm_creates_the_posts(
    curator_client, example_post_path
):
    preview = curator_client.post(
        IMPORT_URL,
        {
            "files": [
                upload(example_post_path),
                upload(POSTS / "neurips-2022-no-selected-papers.md"),
                upload(INVALID_POSTS / "broken-yaml.md"),
            ]
        },
    )

    page = preview.content.decode()
    assert "would create post “jekyll-post-example”" in page
    assert "would create post “neurips-2022-no-selected-papers”" in page
    assert "Will not be imported:</strong> broken-yaml.md, line 3" in page
    assert Post.objects.count() == 0
    assert Paper.objects.count() == 0

    done = curator_client.post(
        IMPORT_URL, {"confirm": "1", "token": preview.context["token"]}, follow=True
    )

    assert done.redirect_chain[-1][0] == CHANGELIST
    assert sorted(Post.objects.values_list("slug", flat=True)) == [
        "jekyll-post-example",
        "neurips-2022-no-selected-papers",
    ]
    assert "Not imported: broken-yaml.md, line 3" in done.content.decode()
    exported = render_post_markdown(Post.objects.get(slug="jekyll-post-example"))
    assert exported == canonical(example_post_path.read_text(encoding="utf-8"))


def test_import_confirm_with_a_stale_token_changes_nothing(curator_client, example_post_path):
    curator_client.post(IMPORT_URL, {"files": [upload(example_post_path)]})

    response = curator_client.post(IMPORT_URL, {"confirm": "1", "token": "forged"}, follow=True)

    assert "This import expired" in response.content.decode()
    assert Post.objects.count() == 0


def test_a_preview_keeps_the_files_in_staging_storage_not_in_the_session(
    curator_client, example_post_path, staging_root
):
    preview = curator_client.post(IMPORT_URL, {"files": [upload(example_post_path)]})

    token = preview.context["token"]
    assert (staging_root / token / "0").read_bytes() == example_post_path.read_bytes()
    session = Session.objects.get(session_key=curator_client.session.session_key)
    assert len(session.session_data) < 1000

    curator_client.post(IMPORT_URL, {"confirm": "1", "token": token})
    assert Post.objects.filter(slug="jekyll-post-example").exists()
    assert not (staging_root / token).exists()


def test_another_curator_cannot_confirm_a_staged_import(
    curator_client, example_post_path, staging_root
):
    preview = curator_client.post(IMPORT_URL, {"files": [upload(example_post_path)]})
    other = Client()
    other.force_login(staff_member("other-curator", CURATORS))

    response = other.post(
        IMPORT_URL, {"confirm": "1", "token": preview.context["token"]}, follow=True
    )

    assert "This import expired" in response.content.decode()
    assert Post.objects.count() == 0


def test_import_page_refuses_an_oversized_markdown_file(curator_client):
    big = SimpleUploadedFile("big.md", b"x" * (2 * 1024 * 1024 + 1))

    response = curator_client.post(IMPORT_URL, {"files": [big]})

    assert "big.md is 2,097,153 bytes; the limit is 2,097,152." in response.content.decode()
    assert Post.objects.count() == 0


def test_a_new_user_imports_the_example_edits_a_summary_and_exports_it(
    curator_client, example_post_path
):
    preview = curator_client.post(IMPORT_URL, {"files": [upload(example_post_path)]})
    curator_client.post(IMPORT_URL, {"confirm": "1", "token": preview.context["token"]})
    entry = Entry.objects.get(paper__title__startswith="HyenaDNA")
    old = entry.summary
    entry.summary = "Edited in the admin."
    entry.save()
    post = Post.objects.get()

    response = curator_client.post(
        CHANGELIST, {"action": "export_markdown", "_selected_action": [post.pk]}
    )

    expected = canonical(example_post_path.read_text(encoding="utf-8")).replace(
        old, "Edited in the admin."
    )
    assert response.content.decode() == expected


def test_people_without_add_permission_cannot_import(client, example_post_path):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="viewer", is_staff=True))

    response = client.post(IMPORT_URL, {"files": [upload(example_post_path)]})

    assert response.status_code == 403
    assert Post.objects.count() == 0


class FormFields(HTMLParser):
    """The values a browser would submit from the admin change form."""

    def __init__(self, form_id="entry_form"):
        super().__init__()
        self.form_id = form_id
        self.data, self.textarea, self.select, self.in_form = [], None, None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.in_form = True
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "file", "button"):
            if attrs.get("type") == "checkbox":
                if "checked" in attrs:
                    self.data.append((name, attrs.get("value", "on")))
            else:
                self.data.append((name, attrs.get("value") or ""))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.data.append((self.select, attrs.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea:
            value = self.textarea[1].removeprefix("\n")
            self.data.append((self.textarea[0], value.replace("\n", "\r\n")))
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.in_form = False

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data


def test_editing_a_summary_on_the_entry_page_changes_only_that_summary_in_the_export(
    curator_client, example_post_path
):
    preview = curator_client.post(IMPORT_URL, {"files": [upload(example_post_path)]})
    curator_client.post(IMPORT_URL, {"confirm": "1", "token": preview.context["token"]})
    post = Post.objects.get()
    before = render_post_markdown(post)
    entry = Entry.objects.get(paper__title__startswith="HyenaDNA")
    change_url = reverse("admin:reviews_entry_change", args=[entry.pk])
    parser = FormFields()
    parser.feed(curator_client.get(change_url).content.decode())
    data = [
        (name, "Edited\r\nin the admin." if value.replace("\r\n", "\n") == entry.summary else value)
        for name, value in parser.data
    ]

    response = curator_client.post(change_url, urlencode(data), content_type=FORM)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert render_post_markdown(post) == before.replace(entry.summary, "Edited\nin the admin.")


def test_the_import_page_offers_a_multiple_file_upload(curator_client):
    response = curator_client.get(IMPORT_URL)

    page = response.content.decode()
    assert '<input type="file" name="files" multiple required' in page
    assert "Preview import" in page
