import shutil
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from papers.models import Paper
from reviews.markdown.export import canonical, render_post_markdown
from reviews.models import Post
from tests.factories import ConferenceFactory, PostFactory
from tests.fixtures import INVALID_POSTS, POSTS

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_export_post_writes_the_markdown_to_stdout_or_a_file(tmp_path):
    post = PostFactory(slug="a-draft")

    out, _ = run("export_post", "a-draft")
    run("export_post", "a-draft", "-o", str(tmp_path / "post.md"))

    assert out == render_post_markdown(post)
    assert (tmp_path / "post.md").read_bytes() == render_post_markdown(post).encode()


def test_export_post_refuses_an_unknown_slug():
    with pytest.raises(CommandError, match="No post with the slug “nope”"):
        run("export_post", "nope")


def test_export_post_bundle_writes_a_jekyll_zip(tmp_path):
    PostFactory(slug="bundled", published=True)

    run("export_post", "bundled", "--bundle", "-o", str(tmp_path / "b.zip"))

    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        (name,) = archive.namelist()
    assert name.startswith("_posts/") and name.endswith("-bundled.md")


def test_import_then_export_of_the_example_is_byte_exact(example_post_path, tmp_path):
    out, _ = run("import_post", str(example_post_path))
    run("export_post", "jekyll-post-example", "-o", str(tmp_path / "out.md"))

    assert "created post “jekyll-post-example”" in out
    assert (tmp_path / "out.md").read_text(encoding="utf-8") == canonical(
        example_post_path.read_text(encoding="utf-8")
    )


def test_import_of_several_files_imports_the_good_ones_and_lists_the_failures(tmp_path):
    shutil.copy(POSTS / "icml-2023-messy.md", tmp_path / "good.md")
    (tmp_path / "latin1.md").write_bytes(b"---\ntitle: Caf\xe9\n---\n")

    with pytest.raises(CommandError) as error:
        run(
            "import_post",
            str(tmp_path / "good.md"),
            str(INVALID_POSTS / "broken-yaml.md"),
            str(tmp_path / "latin1.md"),
        )

    message = str(error.value)
    assert message.startswith("2 file(s) failed and were not imported:")
    assert "broken-yaml.md, line 3: broken YAML front matter" in message
    assert "latin1.md, line 2: not UTF-8" in message
    assert list(Post.objects.values_list("slug", flat=True)) == ["good"]


def test_import_without_update_refuses_an_existing_slug_with_a_clear_message(example_post_path):
    run("import_post", str(example_post_path))

    with pytest.raises(CommandError, match="already exists; import with --update"):
        run("import_post", str(example_post_path))
    out, _ = run("import_post", str(example_post_path), "--update")

    assert "updated post “jekyll-post-example”" in out
    assert Paper.objects.count() == 12


def test_import_dry_run_prints_the_plan_and_writes_nothing(example_post_path):
    out, _ = run("import_post", str(example_post_path), "--dry-run")

    assert "would create post “jekyll-post-example”" in out
    assert "14 entries" in out
    assert Post.objects.count() == 0


def test_import_with_a_conference_slug_uses_it_and_refuses_an_unknown_one(example_post_path):
    conference = ConferenceFactory(slug="neurips-2023-bio")

    with pytest.raises(CommandError, match="No conference with the slug “nope”"):
        run("import_post", str(example_post_path), "--conference", "nope")
    run("import_post", str(example_post_path), "--conference", "neurips-2023-bio")

    assert Post.objects.get().conference == conference
