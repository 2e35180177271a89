"""export_site: one snapshot, streamed, every file a row refers to, bad references left out."""

import json
import zipfile

import psycopg
import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from taggit.models import Tag

from core.backup import export_site, import_site
from reviews.models import Entry, GalleryImage, PartAutosave, Post, PostAutosave
from tests.core.backup.archives import (
    empty_the_instance,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_second_export_of_the_restored_site_has_the_same_records(
    site, settings, tmp_path, django_capture_on_commit_callbacks
):
    first = export_site(destination=tmp_path / "first.zip").path
    empty_the_instance(settings, tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        import_site(source=first)
    second = export_site(destination=tmp_path / "second.zip").path
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        assert a.read("data.jsonl") == b.read("data.jsonl")
        assert sorted(a.namelist()) == sorted(b.namelist())


def test_the_commands_round_trip_and_refuse_a_non_empty_database(site, tmp_path, capsys):
    archive = tmp_path / "site.zip"
    call_command("export_site", str(archive))
    with zipfile.ZipFile(archive) as written:
        objects = json.loads(written.read("manifest.json"))["objects"]
    assert capsys.readouterr().out == f"Wrote {objects} objects and 8 files to {archive}.\n"
    with pytest.raises(CommandError, match="--force"):
        call_command("import_site", str(archive))
    call_command("import_site", str(archive), "--force")
    assert capsys.readouterr().out == f"Restored {objects} objects and 8 files.\n"


def test_export_lists_files_missing_from_storage_and_leaves_them_out(site, tmp_path):
    missing = GalleryImage.objects.get().image.name
    default_storage.delete(missing)
    report = export_site(destination=tmp_path / "site.zip")
    assert report.missing_files == [missing]
    with zipfile.ZipFile(report.path) as archive:
        assert f"media/{missing}" not in archive.namelist()
        names = [f["name"] for f in json.loads(archive.read("manifest.json"))["files"]]
    assert len(names) == 7
    assert site.cover_image.name in names


def test_export_leaves_out_a_reference_outside_media_root_and_the_archive_restores(
    site, settings, tmp_path, django_capture_on_commit_callbacks
):
    Post.objects.filter(slug="a-draft").update(cover_image="../../../../etc/passwd")
    report = export_site(destination=tmp_path / "site.zip")
    draft = Post.objects.get(slug="a-draft")
    assert report.unsafe_references == [
        f"reviews.Post {draft.pk} cover_image: '../../../../etc/passwd'"
    ]
    empty_the_instance(settings, tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        import_site(source=report.path)
    assert Post.objects.get(slug="a-draft").cover_image.name == ""
    assert Post.objects.get(slug="kept").cover_image.name == site.cover_image.name


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_export_reads_every_table_in_one_snapshot(site, tmp_path):
    """A tag committed by another session while the export runs is not in the archive."""
    settings_dict = connection.settings_dict
    params = {
        "dbname": settings_dict["NAME"],
        "user": settings_dict["USER"],
        "host": settings_dict["HOST"],
        "port": settings_dict["PORT"],
    }
    inserted = []

    def insert_after_first_query(execute, sql, params_, many, context):
        result = execute(sql, params_, many, context)
        if not inserted and sql.lstrip().upper().startswith("SELECT"):
            with psycopg.connect(**params, autocommit=True) as other:
                other.execute("INSERT INTO taggit_tag (name, slug) VALUES ('late', 'late')")
            inserted.append(True)
        return result

    with connection.execute_wrapper(insert_after_first_query):
        report = export_site(destination=tmp_path / "site.zip")

    assert inserted == [True]
    with zipfile.ZipFile(report.path) as archive:
        tags = [
            json.loads(line)["fields"]["name"]
            for line in archive.read("data.jsonl").splitlines()
            if json.loads(line)["model"] == "taggit.tag"
        ]
    assert "late" not in tags
    assert Tag.objects.filter(name="late").exists()


def test_export_into_a_missing_folder_names_it(site, tmp_path):
    with pytest.raises(CommandError, match=r"Cannot write .*site.zip: .*nowhere is not a folder"):
        call_command("export_site", str(tmp_path / "nowhere" / "site.zip"))


def test_kept_part_edits_travel_with_the_backup_as_the_posts_do(
    site, settings, tmp_path, django_capture_on_commit_callbacks
):
    """Autosave rows are the reviews app's rows, restored as rows (never as post content)."""
    curator = UserFactory(username="keeper", is_staff=True)
    entry = Entry.objects.get(section__post=site)
    PostAutosave.objects.create(post=site, user=curator, form_data=[["intro", "I"]], post_version=1)
    PartAutosave.objects.create(
        entry=entry, user=curator, form_data=[["summary", "Kept"]], part_version=1
    )
    archive = export_site(destination=tmp_path / "site.zip").path
    empty_the_instance(settings, tmp_path)

    with django_capture_on_commit_callbacks(execute=True):
        import_site(source=archive)

    restored = PartAutosave.objects.get()
    assert (restored.entry_id, restored.user.username, restored.form_data) == (
        entry.pk,
        "keeper",
        [["summary", "Kept"]],
    )
    assert PostAutosave.objects.get().post_id == site.pk
    assert Entry.objects.get(pk=entry.pk).summary == entry.summary
