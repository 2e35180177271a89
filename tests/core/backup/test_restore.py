"""import_site: a whole site back from one zip, and every bad archive refused untouched."""

import json
import os
import re
import time
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from core.backup import BackupError, existing_content, export_site, import_site
from papers.models import Conference
from reviews.models import Post
from tests.core.backup.archives import (
    edit_records,
    empty_the_instance,
    media_tree,
    rewrite,
    row_counts,
)
from tests.imagefiles import HTML_AS_PNG, png_header, slide

pytestmark = pytest.mark.django_db


def test_a_restore_into_an_empty_instance_brings_back_rows_originals_and_renditions(
    site, settings, tmp_path, django_capture_on_commit_callbacks
):
    files = media_tree(settings.MEDIA_ROOT)
    renditions = [name for name in files if name.startswith("renditions/")]
    assert len(files) == 2 + len(renditions)
    assert len(renditions) == 6  # cover: 400w PNG+WebP, 1200w WebP; slide: the same at 900w
    counts = row_counts()

    report = export_site(destination=tmp_path / "site.zip")
    empty_the_instance(settings, tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        restored = import_site(source=report.path)

    assert media_tree(settings.MEDIA_ROOT) == files
    assert row_counts() == counts
    assert (report.files, report.missing_files, report.unsafe_references) == (8, [], [])
    assert (restored.objects, restored.files) == (report.objects, 8)
    with zipfile.ZipFile(report.path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["format"] == 2
    assert sorted(f["name"] for f in manifest["files"]) == sorted(files)


def test_files_reach_storage_only_when_the_restore_commits(site, settings, tmp_path):
    report = export_site(destination=tmp_path / "site.zip")
    empty_the_instance(settings, tmp_path)
    # The test's own transaction never commits, so neither does the restore's.
    import_site(source=report.path)
    assert Post.objects.filter(slug="kept").exists()
    live = media_tree(settings.MEDIA_ROOT)
    assert not [name for name in live if not name.startswith(".restore-")]


def test_import_into_a_database_with_content_is_refused_unless_forced(
    site, tmp_path, django_capture_on_commit_callbacks
):
    archive = export_site(destination=tmp_path / "site.zip").path
    Conference.objects.create(short_name="Extra", year=2030, slug="extra-2030")
    with pytest.raises(
        BackupError, match=r"The database is not empty \(.*papers.Conference.*--force"
    ):
        import_site(source=archive)
    assert Conference.objects.filter(slug="extra-2030").exists()

    with django_capture_on_commit_callbacks(execute=True):
        import_site(source=archive, force=True)
    assert not Conference.objects.filter(slug="extra-2030").exists()
    assert Post.objects.filter(slug="kept").exists()


def test_a_format_1_archive_still_restores(
    site, settings, tmp_path, django_capture_on_commit_callbacks
):
    current = export_site(destination=tmp_path / "site.zip").path
    legacy = tmp_path / "legacy.zip"
    with zipfile.ZipFile(current) as old, zipfile.ZipFile(legacy, "w") as new:
        records = [json.loads(line) for line in old.read("data.jsonl").splitlines()]
        new.writestr("data.json", json.dumps(records, indent=1))
        manifest = json.loads(old.read("manifest.json"))
        for entry in manifest["files"]:
            new.writestr(f"media/{entry['name']}", old.read(f"media/{entry['name']}"))
        manifest.update(format=1, files=[entry["name"] for entry in manifest["files"]])
        new.writestr("manifest.json", json.dumps(manifest))
    files = media_tree(settings.MEDIA_ROOT)
    empty_the_instance(settings, tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        import_site(source=legacy)
    assert media_tree(settings.MEDIA_ROOT) == files
    assert Post.objects.get(slug="kept").cover_image.name == site.cover_image.name


def _set(model, **values):
    return edit_records(model, lambda record: record["fields"].update(values))


def _add(*lines):
    return lambda existing: [*existing, *lines]


def _not_a_zip(archive, bad, site):
    bad.write_bytes(b"PK\x03\x04 and nothing else")
    return bad


def _truncated(archive, bad, site):
    bad.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    return bad


def _rows_that_break_a_foreign_key(archive, bad, site):
    """Valid records and a new cover: the failure comes while loading, after staging."""
    new_cover = {site.cover_image.name: slide(1200, 675, color=(0, 200, 0))}
    return rewrite(archive, bad, data=_set("reviews.entry", paper=987654), media=new_cover)


def _changes(**changes):
    return lambda archive, bad, site: rewrite(archive, bad, **changes)


def _rendition_outside(record):
    record["fields"]["renditions"]["files"][0]["name"] = "../outside.png"


BAD_ARCHIVES = {
    "not a zip": (_not_a_zip, "Cannot read"),
    "truncated": (_truncated, "Cannot read"),
    "garbage data": (
        _changes(data=lambda lines: [*lines[:3], "{not json", *lines[3:]]),
        "data.jsonl line 4 is not valid JSON",
    ),
    "a record of the wrong shape": (
        _changes(data=_add("[1, 2, 3]")),
        "is not an object with model, pk and fields",
    ),
    "an unknown model": (
        _changes(data=_add('{"model": "core.secret", "pk": 1, "fields": {}}')),
        "'core.secret' is not a model a backup holds",
    ),
    "an unknown field": (
        _changes(data=_set("reviews.post", is_admin=True)),
        "reviews.Post has no field 'is_admin'",
    ),
    "a value the field refuses": (
        _changes(data=_set("reviews.post", published_at="soon")),
        "(reviews.Post.published_at): 'soon': ",
    ),
    "a path escaping MEDIA_ROOT": (
        _changes(data=_set("reviews.post", cover_image="../../../../etc/passwd")),
        "(reviews.Post.cover_image): '../../../../etc/passwd' leaves MEDIA_ROOT",
    ),
    "an absolute path": (
        _changes(data=_set("reviews.post", cover_image="/etc/passwd")),
        "'/etc/passwd' is not a relative path inside MEDIA_ROOT",
    ),
    "a NUL byte in a path": (
        _changes(data=_set("reviews.post", cover_image="covers/a\x00.png")),
        "contains a NUL byte",
    ),
    "a rendition path escaping MEDIA_ROOT": (
        _changes(data=edit_records("reviews.galleryimage", _rendition_outside)),
        "(reviews.GalleryImage.renditions): '../outside.png' leaves MEDIA_ROOT",
    ),
    "a member outside media/": (
        _changes(extra={"../../evil.sh": b"rm -rf /"}),
        "The archive holds '../../evil.sh', which no restore uses",
    ),
    "a media member the manifest does not list": (
        _changes(extra={"media/covers/extra.png": slide(10, 10)}),
        "holds media/covers/extra.png but its manifest does not list it",
    ),
    "a file that does not match its digest": (
        _changes(manifest=lambda m: m["files"][0].update(sha256="0" * 64)),
        "does not match its SHA-256",
    ),
    "a wrong record count": (
        _changes(manifest=lambda m: m.update(objects=m["objects"] + 1)),
        "records; its manifest says",
    ),
    "a manifest that is not JSON": (
        _changes(raw_manifest=b"{"),
        "The archive's manifest.json is not valid JSON",
    ),
    "an unknown format": (
        _changes(manifest=lambda m: m.update(format=7)),
        "Unknown archive format 7; expected 2",
    ),
    "a zip bomb": (
        _changes(extra={"media/covers/bomb.png": b"\0" * (20 * 1024 * 1024)}),
        "more than 200 times its size (a zip bomb?)",
    ),
    "rows that break a foreign key": (
        _rows_that_break_a_foreign_key,
        "The archive's rows cannot be loaded: ",
    ),
}


@pytest.mark.parametrize("kind", BAD_ARCHIVES)
def test_a_forced_import_of_a_bad_archive_names_the_problem_and_changes_no_file_or_row(
    site, settings, tmp_path, kind, django_capture_on_commit_callbacks
):
    make, message = BAD_ARCHIVES[kind]
    bad = make(export_site(destination=tmp_path / "site.zip").path, tmp_path / "bad.zip", site)
    files, counts = media_tree(settings.MEDIA_ROOT), row_counts()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CommandError) as error:
        call_command("import_site", str(bad), "--force")

    assert message in str(error.value)
    assert media_tree(settings.MEDIA_ROOT) == files
    assert row_counts() == counts


def test_the_total_size_cap_refuses_an_archive_before_reading_it(site, settings, tmp_path):
    archive = export_site(destination=tmp_path / "site.zip").path
    settings.BACKUP_MAX_BYTES = 1000
    with pytest.raises(
        BackupError, match=r"The archive unpacks to [\d,]+ bytes; the limit is 1,000"
    ):
        import_site(source=archive, force=True)


def test_the_member_count_cap_refuses_an_archive(site, settings, tmp_path):
    archive = export_site(destination=tmp_path / "site.zip").path
    settings.BACKUP_MAX_MEMBERS = 5
    with pytest.raises(BackupError, match="The archive has 10 members; the limit is 5"):
        import_site(source=archive, force=True)


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
    site, settings, tmp_path, hostile, message
):
    archive = export_site(destination=tmp_path / "site.zip").path
    cover = site.cover_image.name
    hostile_archive = rewrite(archive, tmp_path / "hostile.zip", media={cover: hostile})
    empty_the_instance(settings, tmp_path)

    with pytest.raises(BackupError) as error:
        import_site(source=hostile_archive)

    assert str(error.value).startswith(f"The archive's media file {cover!r} is refused: ")
    assert message in str(error.value)
    assert existing_content() == {}
    assert media_tree(settings.MEDIA_ROOT) == {}


def test_a_file_move_that_fails_after_the_commit_says_where_the_staged_files_are(
    site, settings, tmp_path, django_capture_on_commit_callbacks
):
    report = export_site(destination=tmp_path / "site.zip")
    empty_the_instance(settings, tmp_path)
    media = Path(settings.MEDIA_ROOT)
    media.mkdir()
    (media / "covers").write_text("a file where the covers folder belongs")

    # The files move when the rows commit, so the error comes as the commit's callbacks run.
    with pytest.raises(BackupError) as error, django_capture_on_commit_callbacks(execute=True):
        import_site(source=report.path)

    assert str(error.value).startswith("The rows are restored, but moving the files in failed: ")
    staging = re.search(r"are in (\S+); move them", str(error.value)).group(1)
    assert Path(staging, site.cover_image.name).is_file()
    assert Post.objects.filter(slug="kept").exists()


def test_a_restore_removes_staging_folders_abandoned_a_day_ago(
    site, settings, tmp_path, django_capture_on_commit_callbacks
):
    report = export_site(destination=tmp_path / "site.zip")
    empty_the_instance(settings, tmp_path)
    media = Path(settings.MEDIA_ROOT)
    abandoned, recent = media / ".restore-abandoned", media / ".restore-running"
    for folder in (abandoned, recent):
        (folder / "covers").mkdir(parents=True)
        (folder / "covers" / "x.png").write_bytes(b"staged")
    day_and_a_minute_ago = time.time() - 24 * 3600 - 60
    os.utime(abandoned, (day_and_a_minute_ago, day_and_a_minute_ago))

    with django_capture_on_commit_callbacks(execute=True):
        import_site(source=report.path)

    assert not abandoned.exists()
    assert (recent / "covers" / "x.png").read_bytes() == b"staged"
    assert sorted(p.name for p in media.iterdir()) == [
        ".restore-running",
        "covers",
        "gallery",
        "renditions",
    ]
