"""Who may do what, through the real admin pages, public views and commands.

One row per role x entry point x action. "allowed" means the change is in the database (or the
draft is shown); "refused" means a 403, a 404, a form error or a redirect to the login page,
and the database exactly as before. A new entry point gets a row here, so it cannot forget a
rule.
"""

import io
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from PIL import Image

from papers.models import Paper
from reviews.models import Entry, Keynote, KeynoteSpeaker, PartAutosave, Post, Section
from reviews.workflow.revisions import record_revision
from reviews.workflow.roles import CONTRIBUTORS, CURATORS
from tests.factories import (
    AuthorFactory,
    EntryFactory,
    KeynoteFactory,
    PaperFactory,
    PostFactory,
    SectionFactory,
    UserFactory,
    staff_member,
)
from tests.fixtures import PAPER_FILES, POSTS
from tests.reviews.forms import form_data

pytestmark = pytest.mark.django_db

MARKDOWN = POSTS / "neurips-2022-no-selected-papers.md"
BIBTEX = PAPER_FILES / "papers.bib"
IMPORTED_TITLE = "NeurIPS 2022 Workshop Roundup"


@pytest.fixture
def world(db, media_root):
    owner = staff_member("owner", CONTRIBUTORS)
    curator = staff_member("curator", CURATORS)
    own = PostFactory(slug="own-draft", created_by=owner, intro="Original intro")
    own_section = SectionFactory(post=own, title="Own section")
    own_entry = EntryFactory(section=own_section, summary="Own summary")
    record_revision(post=own, by=owner, summary="Created")
    Post.objects.filter(pk=own.pk).update(intro="Edited intro")
    theirs_draft = PostFactory(slug="theirs-draft", created_by=curator)
    theirs_draft_section = SectionFactory(post=theirs_draft, title="Their draft section")
    EntryFactory(section=theirs_draft_section)
    theirs = PostFactory(slug="theirs-published", created_by=curator, published=True)
    theirs_section = SectionFactory(post=theirs, title="Their published section")
    EntryFactory(section=theirs_section)
    return {
        "owner": owner,
        "curator": curator,
        "own": own,
        "own_section": own_section,
        "own_entry": own_entry,
        "theirs_draft": theirs_draft,
        "theirs_draft_section": theirs_draft_section,
        "theirs": theirs,
        "theirs_section": theirs_section,
        "paper": PaperFactory(title="Paper before"),
        "keynote": KeynoteFactory(title="Keynote before"),
    }


def _client_for(role, world):
    client = Client()
    users = {
        "owner": lambda: world["owner"],
        "other_contributor": lambda: staff_member("other", CONTRIBUTORS),
        "curator": lambda: world["curator"],
        "superuser": lambda: UserFactory(username="root", is_staff=True, is_superuser=True),
    }
    if role in users:
        client.force_login(users[role]())
    return client


def _loaded_form(url, form_id):
    """The change form as a superuser's browser loads it (hidden version included)."""
    root = Client()
    root.force_login(UserFactory(username="loader", is_staff=True, is_superuser=True))
    response = root.get(url)
    assert response.status_code == 200
    return form_data(response.content.decode(), form_id)


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile("slide.png", buffer.getvalue(), content_type="image/png")


def post_change(client, w):
    url = reverse("admin:reviews_post_change", args=[w["own"].pk])
    data = _loaded_form(url, "post_form")
    data["intro"] = "Changed intro"
    return client.post(url, data), lambda: Post.objects.get(pk=w["own"].pk).intro == "Changed intro"


def _section_form(section_pk=None):
    url = (
        reverse("admin:reviews_section_change", args=[section_pk])
        if section_pk
        else reverse("admin:reviews_section_add")
    )
    return url, _loaded_form(url, "section_form")


def section_add_into_their_post(client, w):
    url, data = _section_form()
    data.update(post=w["theirs_draft"].pk, title="Injected section", order="50")
    response = client.post(url, data)
    return response, lambda: Section.objects.filter(title="Injected section").exists()


def section_add_into_own_post(client, w):
    url, data = _section_form()
    data.update(post=w["own"].pk, title="My new section", order="50")
    response = client.post(url, data)
    return response, lambda: Section.objects.filter(title="My new section").exists()


def section_move(client, w):
    url, data = _section_form(w["own_section"].pk)
    data["post"] = w["theirs_draft"].pk
    response = client.post(url, data)
    moved = lambda: Section.objects.get(pk=w["own_section"].pk).post_id == w["theirs_draft"].pk  # noqa: E731
    return response, moved


def _entry_form(entry_pk=None):
    url = (
        reverse("admin:reviews_entry_change", args=[entry_pk])
        if entry_pk
        else reverse("admin:reviews_entry_add")
    )
    return url, _loaded_form(url, "entry_form")


def entry_add_into_their_published_post(client, w):
    url, data = _entry_form()
    data.update(
        section=w["theirs_section"].pk,
        kind="free",
        heading="Injected entry",
        summary="Written into someone else's post",
        order="50",
    )
    response = client.post(url, data)
    return response, lambda: Entry.objects.filter(heading="Injected entry").exists()


def entry_move(client, w):
    url, data = _entry_form(w["own_entry"].pk)
    data["section"] = w["theirs_section"].pk
    response = client.post(url, data)
    moved = lambda: Entry.objects.get(pk=w["own_entry"].pk).section_id == w["theirs_section"].pk  # noqa: E731
    return response, moved


def entry_change(client, w):
    url, data = _entry_form(w["own_entry"].pk)
    data["summary"] = "Changed summary"
    response = client.post(url, data)
    return response, lambda: Entry.objects.get(pk=w["own_entry"].pk).summary == "Changed summary"


def gallery_upload(client, w):
    url = reverse("admin:reviews_entry_add_images", args=[w["own_entry"].pk])
    response = client.post(url, {"images": [_png()], "alt_text": "Slide"})
    return response, lambda: w["own_entry"].images.count() == 1


def markdown_import_update_of_their_published_post(client, w):
    url = reverse("admin:reviews_post_import_markdown")
    upload = SimpleUploadedFile("theirs-published.md", MARKDOWN.read_bytes())
    preview = client.post(url, {"files": [upload], "update": "on"})
    token = preview.context.get("token") if preview.context else None
    response = client.post(url, {"confirm": "1", "token": token or "none"})
    return response, lambda: Post.objects.get(pk=w["theirs"].pk).title == IMPORTED_TITLE


def revision_restore(client, w):
    revision = w["own"].revisions.get()
    url = reverse("admin:reviews_post_revision_restore", args=[w["own"].pk, revision.pk])
    response = client.post(url)
    return response, lambda: Post.objects.get(pk=w["own"].pk).intro == "Original intro"


def paper_change(client, w):
    url = reverse("admin:papers_paper_change", args=[w["paper"].pk])
    data = _loaded_form(url, "paper_form")
    data["title"] = "Paper after"
    response = client.post(url, data)
    return response, lambda: Paper.objects.get(pk=w["paper"].pk).title == "Paper after"


def keynote_change(client, w):
    url = reverse("admin:reviews_keynote_change", args=[w["keynote"].pk])
    data = _loaded_form(url, "keynote_form")
    data["title"] = "Keynote after"
    response = client.post(url, data)
    return response, lambda: Keynote.objects.get(pk=w["keynote"].pk).title == "Keynote after"


def keynote_speakers_change(client, w):
    url = reverse("admin:reviews_keynote_change", args=[w["keynote"].pk])
    data = _loaded_form(url, "keynote_form")
    co_speaker = AuthorFactory(name="Co Speaker")
    data.update(
        {
            "speaker_links-TOTAL_FORMS": "2",
            "speaker_links-1-author": str(co_speaker.pk),
            "speaker_links-1-place": "1",
        }
    )
    response = client.post(url, data)
    return response, KeynoteSpeaker.objects.filter(author=co_speaker).exists


def bibtex_import_page(client, w):
    url = reverse("admin:papers_paper_import")
    count = Paper.objects.count()
    upload = SimpleUploadedFile("papers.bib", BIBTEX.read_bytes())
    preview = client.post(url, {"source": "bibtex", "file": upload})
    token = re.search(r'name="token" value="([^"]+)"', preview.content.decode())
    response = client.post(url, {"confirm": "Save", "token": token.group(1) if token else ""})
    return response, lambda: Paper.objects.count() > count


def draft_preview_html(client, w):
    response = client.get(reverse("reviews:post-detail", args=[w["own"].slug]))
    return response, lambda: response.status_code == 200


def draft_preview_markdown(client, w):
    response = client.get(reverse("reviews:post-markdown", args=[w["own"].slug]))
    return response, lambda: response.status_code == 200


def _autosave(client, part):
    url = reverse(f"admin:reviews_{part._meta.model_name}_autosave", args=[part.pk])
    body = json.dumps({"form": [["summary", "Kept"]], "version": part.version})
    response = client.post(url, body, content_type="application/json")
    kept = PartAutosave.objects.filter(**{part._meta.model_name: part})
    return response, kept.exists


def entry_autosave(client, w):
    return _autosave(client, w["own_entry"])


def section_autosave_in_their_draft(client, w):
    return _autosave(client, w["theirs_draft_section"])


def markdown_import_command(client, w, tmp_path):
    path = tmp_path / "theirs-published.md"
    path.write_bytes(MARKDOWN.read_bytes())
    call_command("import_post", str(path), "--update", stdout=io.StringIO())
    return None, lambda: Post.objects.get(pk=w["theirs"].pk).title == IMPORTED_TITLE


def bibtex_import_command(client, w, tmp_path):
    count = Paper.objects.count()
    call_command("import_bibtex", str(BIBTEX), stdout=io.StringIO())
    return None, lambda: Paper.objects.count() > count


ROLES = ["anonymous", "owner", "other_contributor", "curator", "superuser"]
A, R = "allowed", "refused"
# Expected outcome per role, in the order of ROLES.
MATRIX = {
    post_change: [R, A, R, A, A],
    section_add_into_their_post: [R, R, R, A, A],
    section_add_into_own_post: [R, A, R, A, A],
    section_move: [R, R, R, A, A],
    entry_add_into_their_published_post: [R, R, R, A, A],
    entry_move: [R, R, R, A, A],
    entry_change: [R, A, R, A, A],
    entry_autosave: [R, A, R, A, A],
    section_autosave_in_their_draft: [R, R, R, A, A],
    gallery_upload: [R, A, R, A, A],
    markdown_import_update_of_their_published_post: [R, R, R, A, A],
    revision_restore: [R, A, R, A, A],
    paper_change: [R, R, R, A, A],
    keynote_change: [R, R, R, A, A],
    keynote_speakers_change: [R, R, R, A, A],
    bibtex_import_page: [R, R, R, A, A],
    draft_preview_html: [R, A, R, A, A],
    draft_preview_markdown: [R, A, R, A, A],
}
CASES = [
    pytest.param(role, action, outcomes[n], id=f"{role}-{action.__name__}")
    for action, outcomes in MATRIX.items()
    for n, role in enumerate(ROLES)
] + [
    pytest.param("operator", markdown_import_command, A, id="operator-markdown_import_command"),
    pytest.param("operator", bibtex_import_command, A, id="operator-bibtex_import_command"),
]


def _snapshot():
    return {
        model.__name__: sorted(model.objects.values_list(*fields))
        for model, fields in [
            (Post, ("pk", "title", "intro", "status", "version")),
            (Section, ("pk", "post_id", "title", "version")),
            (Entry, ("pk", "section_id", "heading", "summary", "version")),
            (Paper, ("pk", "title", "version")),
            (Keynote, ("pk", "title", "version")),
            (KeynoteSpeaker, ("pk", "keynote_id", "author_id", "order")),
        ]
    } | {"images": sorted(Entry.objects.values_list("pk", "images__pk"))}


@pytest.mark.parametrize(("role", "action", "expected"), CASES)
def test_permission_matrix(role, action, expected, world, tmp_path):
    assert Group.objects.filter(name__in=[CURATORS, CONTRIBUTORS]).count() == 2
    client = _client_for(role, world)
    before = _snapshot()
    args = (client, world, tmp_path) if role == "operator" else (client, world)

    response, applied = action(*args)

    if expected == A:
        assert applied(), f"{role} should be able to {action.__name__}"
        return
    assert not applied(), f"{role} must not be able to {action.__name__}"
    if not action.__name__.startswith("draft_preview"):
        assert _snapshot() == before
    status = response.status_code
    to_login = status == 302 and response["Location"].startswith("/admin/login/")
    form_error = status == 200 and response.context and _has_errors(response.context)
    assert to_login or status in {403, 404} or form_error or _redirected_with_error(response)


def _has_errors(context):
    form = context.get("adminform")
    return bool(form and form.form.errors) or bool(context.get("errors"))


def _redirected_with_error(response):
    """The import pages report a refused file as an error message after the redirect."""
    return response.status_code == 302 and any(
        m.level_tag == "error" for m in response.wsgi_request._messages
    )
