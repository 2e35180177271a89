"""export_site / import_site move a whole site, uploads included, to an empty instance."""

import json
import re
import zipfile

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from core.backup import (
    BackupError,
    _delete_content,
    existing_content,
    export_site,
    import_site,
)
from papers.models import Conference, Paper
from reviews.demo import load_demo
from reviews.models import GalleryImage, Post
from reviews.workflow.publishing import publish_post
from tests.factories import PeerReviewExcerptFactory, PostFactory
from tests.imagefiles import HTML_AS_PNG, png_header, png_upload, slide

pytestmark = pytest.mark.django_db

NOT_PUBLIC = ("admin/", "_nested_admin/")


def _named_patterns(patterns, prefix="", namespace=""):
    """(url name, converter names) of every public named pattern, however deeply included."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(NOT_PUBLIC):
            continue
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", list(pattern.pattern.converters)


def _candidate_values():
    """Every slug and primary key in the database: what a URL argument can be."""
    values = set()
    for model in apps.get_models():
        names = [
            f.name for f in model._meta.concrete_fields if f.get_internal_type() == "SlugField"
        ]
        for name in names:
            values.update(model._default_manager.values_list(name, flat=True))
        values.update(str(pk) for pk in model._default_manager.values_list("pk", flat=True))
    return sorted(values)


CSRF_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def public_pages():
    """Every public page that answers 200 to a visitor, by URL: later pages are covered too."""
    visitor = Client()
    pages, uncovered = {}, []
    candidates = _candidate_values()
    for name, arguments in _named_patterns(get_resolver().url_patterns):
        if name == "media":
            continue  # uploads are compared byte for byte on their own
        if len(arguments) > 1:
            uncovered.append(name)
            continue
        urls = []
        for value in candidates if arguments else [None]:
            try:
                urls.append(reverse(name, kwargs={arguments[0]: value} if arguments else None))
            except NoReverseMatch:
                continue
        found = 0
        for url in sorted(set(urls)):
            response = visitor.get(url)
            if response.status_code == 200:
                # A form's CSRF token is new on every request (the video suggestion pages).
                pages[url] = CSRF_TOKEN.sub(
                    b'name="csrfmiddlewaretoken" value=""', response.content
                )
                found += 1
        if not found:
            uncovered.append(name)
    return pages, uncovered


@pytest.fixture
def full_site(curator, settings, tmp_path):
    """The demo post, a draft, uploads on a cover and a slide, tags, excerpts, revisions, a log."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    demo = load_demo()[0]
    demo.cover_image = png_upload("cover.png", (10, 20, 30))
    demo.save()
    entry = demo.sections.first().entries.first()
    GalleryImage.objects.create(
        entry=entry, image=png_upload("uploaded-slide.png"), alt_text="An uploaded slide", order=99
    )
    PeerReviewExcerptFactory(paper=Paper.objects.first(), featured=True, order=50)
    PostFactory(title="A draft nobody sees", slug="secret-draft", conference=demo.conference)
    scheduled = PostFactory(title="Second review", slug="second-review", conference=demo.conference)
    scheduled.tags.set(["conference review", "health"])
    publish_post(post=scheduled, by=curator)
    return demo


def _uploaded_names():
    covers = Post.objects.exclude(cover_image="").values_list("cover_image", flat=True)
    slides = GalleryImage.objects.exclude(image="").values_list("image", flat=True)
    return [*covers, *slides]


def _read(name):
    with default_storage.open(name) as media:
        return media.read()


def _empty_the_instance(settings, tmp_path):
    _delete_content()
    get_user_model().objects.all().delete()
    settings.MEDIA_ROOT = str(tmp_path / "empty-media")


def test_export_then_import_into_an_empty_instance_serves_identical_pages(
    full_site, settings, tmp_path
):
    before, uncovered = public_pages()
    assert uncovered == []
    assert reverse("reviews:post-detail", kwargs={"slug": "secret-draft"}) not in before
    assert len(before) >= 5
    uploads = {name: _read(name) for name in _uploaded_names()}
    # The demo uploads 5 covers (one replaced here) and 78 slides; the fixture adds one slide.
    assert len(uploads) == 5 + 78 + 1
    counts = {m._meta.label: m._default_manager.count() for m in apps.get_models()}

    archive = tmp_path / "site.zip"
    exported = export_site(destination=archive)
    _empty_the_instance(settings, tmp_path)
    assert existing_content() == {}
    imported = import_site(source=archive)

    after, _ = public_pages()
    assert sorted(after) == sorted(before)
    for url, content in before.items():
        assert after[url] == content, url
    assert {m._meta.label: m._default_manager.count() for m in apps.get_models()} == counts
    for name, content in uploads.items():
        assert _read(name) == content
    assert (imported.objects, imported.files) == (exported.objects, exported.files)
    assert exported.files == 84
    assert exported.missing_files == []


def test_a_second_export_of_the_restored_site_has_the_same_data(full_site, settings, tmp_path):
    first, second = tmp_path / "first.zip", tmp_path / "second.zip"
    export_site(destination=first)
    _empty_the_instance(settings, tmp_path)
    import_site(source=first)
    export_site(destination=second)
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        assert json.loads(a.read("data.json")) == json.loads(b.read("data.json"))
        assert sorted(a.namelist()) == sorted(b.namelist())


def test_import_into_a_database_with_content_is_refused_unless_forced(full_site, tmp_path):
    archive = tmp_path / "site.zip"
    export_site(destination=archive)
    Conference.objects.create(short_name="Extra", year=2030, slug="extra-2030")
    with pytest.raises(
        BackupError, match=r"The database is not empty \(.*4 papers.Conference, .*--force"
    ):
        import_site(source=archive)
    assert Conference.objects.filter(slug="extra-2030").exists()

    import_site(source=archive, force=True)
    assert not Conference.objects.filter(slug="extra-2030").exists()
    assert Post.objects.filter(slug="second-review").exists()


def test_the_commands_round_trip_and_refuse_a_non_empty_database(full_site, tmp_path, capsys):
    archive = tmp_path / "site.zip"
    call_command("export_site", str(archive))
    assert re.fullmatch(r"Wrote \d+ objects and 84 files to .*site.zip.\n", capsys.readouterr().out)
    with pytest.raises(CommandError, match="--force"):
        call_command("import_site", str(archive))
    call_command("import_site", str(archive), "--force")
    assert "Restored" in capsys.readouterr().out


def test_import_refuses_a_file_that_is_not_an_archive(tmp_path, db):
    bogus = tmp_path / "site.zip"
    bogus.write_text("not a zip")
    with pytest.raises(BackupError, match="Cannot read"):
        import_site(source=bogus)


def test_import_refuses_an_archive_with_a_path_escaping_media(tmp_path, db):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("data.json", "[]")
        zf.writestr("media/../../etc/passwd", "x")
        zf.writestr(
            "manifest.json", json.dumps({"format": 1, "objects": 0, "files": ["../../etc/passwd"]})
        )
    with pytest.raises(BackupError, match=re.escape("cannot restore: '../../etc/passwd'")):
        import_site(source=archive)


def test_export_lists_uploads_missing_from_storage_and_leaves_them_out(full_site, tmp_path):
    missing = GalleryImage.objects.get(alt_text="An uploaded slide").image.name
    default_storage.delete(missing)
    report = export_site(destination=tmp_path / "site.zip")
    assert report.missing_files == [missing]
    with zipfile.ZipFile(report.path) as archive:
        assert f"media/{missing}" not in archive.namelist()
        files = json.loads(archive.read("manifest.json"))["files"]
    assert len(files) == 83
    assert full_site.cover_image.name in files
    assert missing not in files


def _with_media(source, destination, replace):
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(destination, "w") as new:
        for info in old.infolist():
            new.writestr(info, replace.get(info.filename, old.read(info)))


@pytest.mark.parametrize(
    ("hostile", "message"),
    [
        (png_header(20_000, 20_000), "its header declares more pixels than the 50 megapixel"),
        (png_header(10_000, 6_000), "is 10000×6000 pixels (60.0 megapixels)"),
        (HTML_AS_PNG, "is not a JPEG, PNG, WebP or GIF image"),
        (slide(40, 30, fmt="JPEG"), "holds a JPEG image but is named “.png”"),
    ],
)
def test_import_refuses_an_archive_with_a_hostile_upload_and_changes_nothing(
    full_site, settings, tmp_path, hostile, message
):
    archive = export_site(destination=tmp_path / "site.zip").path
    cover = full_site.cover_image.name
    hostile_archive = tmp_path / "hostile.zip"
    _with_media(archive, hostile_archive, {f"media/{cover}": hostile})
    _empty_the_instance(settings, tmp_path)

    with pytest.raises(BackupError) as error:
        import_site(source=hostile_archive)

    assert str(error.value).startswith(f"The archive's media file {cover!r} is refused: ")
    assert message in str(error.value)
    assert existing_content() == {}
    assert not default_storage.exists(cover)
