"""Staged uploads wait in their own storage under a token, for one user, until they expire."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from core.staging import discard_upload, purge_expired_uploads, stage_upload, take_upload

pytestmark = pytest.mark.django_db

FILES = [("post.md", b"---\ntitle: A\n---\n"), ("bundle.zip", b"PK\x05\x06" + b"\0" * 18)]


def stored(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_staged_upload_is_given_back_once_to_its_owner_and_then_removed(staging_root):
    token = stage_upload(files=FILES, data={"update": True, "conference": 3}, owner_id=7)
    assert stored(staging_root) == [f"{token}/0", f"{token}/1", f"{token}/manifest.json"]

    staged = take_upload(token=token, owner_id=7)

    assert staged.files == FILES
    assert staged.data == {"update": True, "conference": 3}
    assert stored(staging_root) == []
    assert take_upload(token=token, owner_id=7) is None


def test_another_user_cannot_take_a_staged_upload(staging_root):
    token = stage_upload(files=FILES, data={}, owner_id=7)
    assert take_upload(token=token, owner_id=8) is None
    assert take_upload(token=token, owner_id=7).files == FILES


@pytest.mark.parametrize("token", ["", "forged", "../../etc", "a/b", None])
def test_an_unknown_or_malformed_token_takes_nothing(staging_root, token):
    stage_upload(files=FILES, data={}, owner_id=7)
    assert take_upload(token=token, owner_id=7) is None
    assert len(stored(staging_root)) == 3


def test_an_expired_upload_is_refused_and_removed(staging_root, settings):
    settings.STAGED_UPLOAD_SECONDS = 600
    token = stage_upload(files=FILES, data={}, owner_id=7)
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=601)):
        assert take_upload(token=token, owner_id=7) is None
    assert stored(staging_root) == []


def test_staging_purges_expired_uploads_and_keeps_fresh_ones(staging_root, settings, capsys):
    settings.STAGED_UPLOAD_SECONDS = 600
    old = stage_upload(files=FILES, data={}, owner_id=7)
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=601)):
        fresh = stage_upload(files=FILES[:1], data={}, owner_id=7)
        assert stored(staging_root) == [f"{fresh}/0", f"{fresh}/manifest.json"]
        assert old != fresh
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=1300)):
        call_command("purge_staged_uploads")
    assert capsys.readouterr().out == "Removed 1 expired staged upload(s).\n"
    assert stored(staging_root) == []


def test_a_folder_without_a_manifest_is_purged(staging_root):
    (staging_root / "stray").mkdir(parents=True)
    (staging_root / "stray" / "0").write_bytes(b"left by a crash")
    assert purge_expired_uploads() == 1
    assert stored(staging_root) == []
    discard_upload(token="stray")
