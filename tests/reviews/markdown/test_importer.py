import pytest

from papers.models import Conference, Paper
from reviews.markdown.export import (
    canonical,
    ordered_tag_names,
    render_post_markdown,
    yaml_scalar,
)
from reviews.markdown.importer import MarkdownImportError, MarkdownSource, import_post
from reviews.models import Entry, GalleryImage, Keynote, Post, Section
from tests.factories import ConferenceFactory, PaperFactory
from tests.fixtures import INVALID_POSTS, POSTS

pytestmark = pytest.mark.django_db


def export(slug):
    return render_post_markdown(Post.objects.get(slug=slug))


def test_importing_the_example_is_byte_exact_after_canonical_form(example_post_path):
    report = import_post(source=example_post_path)
    assert export(report.slug) == canonical(example_post_path.read_text(encoding="utf-8"))


def test_importing_the_example_creates_its_conference_keynotes_papers_and_images(
    example_post_path,
):
    report = import_post(source=example_post_path)

    post = Post.objects.get(slug="jekyll-post-example")
    assert post.status == Post.Status.DRAFT
    assert (post.conference.short_name, post.conference.year) == ("NeurIPS", 2023)
    assert report.conference_created is True
    assert post.reading_time == "5 min"
    assert post.comments is False
    assert list(post.tags.names()) == ["conference review"]
    assert [s.title for s in post.sections.all()] == ["Keynotes", "Selected papers"]
    assert Keynote.objects.filter(conference=post.conference).count() == 2
    assert Keynote.objects.get(speaker="Björn Ommer").title == (
        "Delusion of Scaling and Democratization of Generative Models"
    )
    assert Paper.objects.filter(conference=post.conference).count() == 12
    assert Entry.objects.filter(section__post=post, heading="").count() == 14
    assert GalleryImage.objects.filter(entry__section__post=post).count() == 56
    first = GalleryImage.objects.filter(entry__section__post=post).order_by("entry__order", "id")
    assert first[0].alt_text == (
        "Slide 1 of 4: Delusion of Scaling and Democratization of Generative Models - Björn Ommer"
    )
    assert post.conclusion == (
        "Themes that kept coming back:\n"
        "- deep learning meeting causal reasoning\n"
        "- data-driven methods rebuilding each layer of the healthcare stack\n"
        "- a growing, though still modest, share of bio and health work next to vision and language"
    )
    assert post.disclaimer == (
        "DISCLAIMER: This is a personal selection. It surely misses important work, in particular "
        "from the workshops and competitions, and is meant as a starting point for your own "
        "reading."
    )


def test_changing_a_summary_changes_only_that_summary_in_the_export(example_post_path):
    report = import_post(source=example_post_path)
    before = export(report.slug)
    entry = Entry.objects.get(paper__title="FABind: Fast and Accurate Protein-Ligand Binding")
    old = entry.summary
    entry.summary = "A new summary, written in the admin."
    entry.save()

    assert export(report.slug) == before.replace(old, "A new summary, written in the admin.")


def test_reimport_with_update_reuses_papers_and_keynotes_without_duplicates(example_post_path):
    import_post(source=example_post_path)
    counts = (Paper.objects.count(), Keynote.objects.count(), Conference.objects.count())

    report = import_post(source=example_post_path, update=True)

    assert report.created is False
    assert (Paper.objects.count(), Keynote.objects.count(), Conference.objects.count()) == counts
    assert len(report.papers_reused) == 12
    assert len(report.keynotes_reused) == 2
    assert Section.objects.filter(post__slug=report.slug).count() == 2


def test_papers_are_matched_ignoring_case_and_spacing_and_keep_the_file_heading():
    conference = ConferenceFactory(short_name="ICLR", year=2024, slug="iclr-2024")
    paper = PaperFactory(conference=conference, title="A paper  without a link")

    import_post(source=POSTS / "2024-05-02-iclr-2024-extra-sections.md")

    entry = Entry.objects.get(paper=paper)
    assert entry.heading == "A Paper Without a Link"
    assert Paper.objects.filter(conference=conference).count() == 3


def test_import_reads_keynotes_links_sections_and_unmodelled_front_matter():
    report = import_post(source=POSTS / "2024-05-02-iclr-2024-extra-sections.md")

    post = Post.objects.get(slug="iclr-2024-extra-sections")
    assert report.slug == "iclr-2024-extra-sections"
    assert post.title == "ICLR 2024: Ünïcode & <Friends> Review"
    assert post.published_at.date().isoformat() == "2024-05-02"
    assert post.comments is True
    assert ordered_tag_names(post) == ["conference review", "machine learning for health", "iclr"]
    assert [key for key, *rest in post.front_matter] == [
        "layout", "title", "date", "subtitle", "howlong", "comments", "categories",
        "author", "description", "image", "twitter", "tags",
    ]  # fmt: skip
    assert post.front_matter[2] == ["date", "date: 2024-05-02 09:30:00 +0200\n"]
    keynote = Keynote.objects.get(title="Learning - and Unlearning - at Scale")
    assert (keynote.speaker, keynote.affiliation) == ("Jürgen Schmidhuber", "KAUST")
    assert Keynote.objects.get(speaker="李飞飞").title == "Protein Folding Revisited"
    fireside = Entry.objects.get(heading="A Fireside Chat Without a Speaker Line")
    assert fireside.kind == Entry.Kind.FREE
    overview = Section.objects.get(post=post, title="Overview")
    assert (overview.link_url, overview.link_label) == (
        "https://iclr.cc/virtual/2024/recordings",
        "[Recording link]",
    )
    challenge = Entry.objects.get(heading="The Ω Challenge")
    assert (challenge.kind, challenge.link_label) == (Entry.Kind.FREE, "[Challenge link]")
    gnn = Entry.objects.get(paper__title__startswith="Graph Neural Networks")
    assert gnn.images.count() == 6
    assert "Third paragraph, with a list:\n- one\n- two" in gnn.summary
    assert Entry.objects.get(paper__title="A Paper Without a Link").keep_empty_gallery is True


def test_import_records_which_entries_have_their_text_right_under_the_heading():
    import_post(source=POSTS / "neurips-2022-no-selected-papers.md")

    flags = dict(Entry.objects.values_list("heading", "heading_blank_line"))
    assert flags == {
        "Learning Meaningful Representations of Life": True,
        "Machine Learning for Health": False,
    }


def test_unrecognised_blocks_stay_verbatim_in_the_nearest_text():
    import_post(source=POSTS / "unknown-blocks.md")

    odd = Entry.objects.get(paper__title="A Paper With Odd Blocks")
    assert odd.summary.startswith('<div class="gallery">\n<galleryitem src=')
    assert odd.images.count() == 0
    liquid = Entry.objects.get(paper__title="Liquid and kramdown stay literal")
    assert liquid.summary.startswith('{% include figure.html src="x.png" %}')
    notes = Section.objects.get(title="Notes")
    assert notes.link_url == ""
    assert notes.body.startswith('<a href="https://example.org/first">[Video link]</a>')


def test_conference_given_explicitly_is_used_instead_of_the_title():
    conference = ConferenceFactory(short_name="MLHC", year=2023, slug="mlhc-2023")

    import_post(source=POSTS / "icml-2023-messy.md", conference=conference)

    assert Post.objects.get(slug="icml-2023-messy").conference == conference
    assert not Conference.objects.filter(short_name="ICML").exists()


def test_dry_run_reports_but_changes_nothing(example_post_path):
    report = import_post(source=example_post_path, dry_run=True)

    assert report.entries == 14
    assert len(report.papers_created) == 12
    assert "would create" in report.summary()
    assert Post.objects.count() == 0
    assert Paper.objects.count() == 0
    assert Conference.objects.count() == 0


def test_an_existing_slug_is_refused_without_update(example_post_path):
    import_post(source=example_post_path)

    with pytest.raises(MarkdownImportError) as error:
        import_post(source=example_post_path)

    assert "already exists" in str(error.value)
    assert "--update" in str(error.value)
    assert Post.objects.count() == 1


def database_state():
    return (
        list(Post.objects.values_list("slug", "title", "intro")),
        Section.objects.count(),
        Entry.objects.count(),
        GalleryImage.objects.count(),
        Paper.objects.count(),
        Keynote.objects.count(),
        Conference.objects.count(),
    )


BAD_POSTS = {
    "broken-yaml.md": ("broken-yaml.md, line 3", "while scanning a quoted scalar"),
    "no-front-matter.md": ("no-front-matter.md, line 1", "no front matter"),
    "no-title.md": ("no-title.md, line 2", "no title"),
    "h4-before-h3.md": ("h4-before-h3.md, line 7", "before any section heading"),
    "unclosed-heading.md": ("unclosed-heading.md, line 7", "not closed"),
}


@pytest.mark.parametrize("name", sorted(BAD_POSTS))
def test_bad_files_are_refused_naming_file_and_line_and_change_nothing(name, example_post_path):
    import_post(source=example_post_path)
    before = database_state()
    where, what = BAD_POSTS[name]

    with pytest.raises(MarkdownImportError) as error:
        import_post(source=INVALID_POSTS / name, update=True)

    assert str(error.value).startswith(where)
    assert what in str(error.value)
    assert database_state() == before


BAD_BYTES = {
    "latin1.md": (b"---\ntitle: Caf\xe9 2023\n---\nBody\n", "line 2: not UTF-8"),
    "binary.md": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    "empty.md": (b"", "the file is empty"),
    "utf16.md": ("---\ntitle: T 2023\n---\n".encode("utf-16"), "line 1: this is UTF-16"),
    "blank.md": (b"\n\n  \n", "the file is empty"),
    "huge.md": (b"---\ntitle: Huge 2023\n---\n" + b"x" * (2 * 1024 * 1024), "limit is"),
    "list.md": (b"---\n- a\n- b\n---\nBody\n", "key: value"),
}


@pytest.mark.parametrize("name", sorted(BAD_BYTES))
def test_unreadable_files_are_refused_and_change_nothing(name):
    data, message = BAD_BYTES[name]

    with pytest.raises(MarkdownImportError) as error:
        import_post(source=MarkdownSource(name, data))

    assert str(error.value).startswith(name)
    assert message in str(error.value)
    assert database_state() == ([], 0, 0, 0, 0, 0, 0)


def test_a_problem_late_in_the_file_rolls_back_everything_before_it():
    long_heading = "x" * 501
    text = (POSTS / "2024-05-02-iclr-2024-extra-sections.md").read_text(encoding="utf-8")
    text = text.replace("<h3>Conclusion</h3>", f"<h4>{long_heading}</h4>\n\n<h3>Conclusion</h3>")

    with pytest.raises(MarkdownImportError) as error:
        import_post(source=MarkdownSource("late.md", text.encode()))

    assert "longer than 500 characters" in str(error.value)
    assert database_state() == ([], 0, 0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("---\ntitle: A 2023\n---\n<h3></h3>\n", "line 4: an empty <h3> heading"),
        ("---\ntitle: A 2023\n---\n<h3>S</h3>\n\n<h4> </h4>\n", "line 6: an empty <h4> heading"),
        ("---\ntitle: A 2023\n---\nIntro\n<h3>Keynotes\n", "line 5: the heading <h3> is not"),
        ("---\ntitle: A 2023\nauthor: [x\n---\nBody\n", "line 3: broken YAML"),
        ("---\ntitle: A 2023\n\tauthor: x\n---\n", "line 3: broken YAML"),
        ("---\ntitle: A 2023\nBody without a closing line\n", "line 1: the front matter is never"),
        (
            "---\ntitle: A 2023\nauthor: B\ntitle: C\n---\n",
            "line 4: the front-matter key “title” appears twice",
        ),
        (f"---\nlayout: post\ntitle: {'x' * 301}\n---\n", "line 3: title: Ensure this value"),
    ],
)
def test_unreadable_structure_is_refused_naming_the_line(text, message):
    with pytest.raises(MarkdownImportError) as error:
        import_post(source=MarkdownSource("post.md", text.encode()))

    assert str(error.value).startswith(f"post.md, {message}")
    assert database_state() == ([], 0, 0, 0, 0, 0, 0)


def test_front_matter_the_site_cannot_model_is_kept_raw_and_the_rest_is_modelled():
    import_post(source=POSTS / "odd-front-matter.md")

    post = Post.objects.get(slug="odd-front-matter")
    assert (post.title, post.subtitle, post.reading_time) == (
        "CVPR 2023: Quoted Where Needed",
        "Single quoted: kept as written",
        "3 min",
    )
    assert post.comments is True
    assert post.markdown_toc is False
    assert [item[0] for item in post.front_matter if item[1] is not None] == [
        "",
        "layout",
        "tags",
        "permalink",
    ]
    post.subtitle = "Changed: now"
    post.save()
    assert '\nsubtitle: "Changed: now"\nhowlong: "3 min"\n' in export(post.slug)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("NeurIPS 2023 Health & Bio Conference Review", ("NeurIPS", 2023)),
        ("Notes from ICML 2024: day one", ("ICML", 2024)),
        ("The 2023 review of everything", None),
        ("A review without a year", None),
    ],
)
def test_the_conference_is_inferred_from_an_acronym_and_year_in_the_title(title, expected):
    text = f"---\ntitle: {yaml_scalar(title)}\n---\nIntro.\n"

    import_post(source=MarkdownSource("post.md", text.encode()))

    conference = Post.objects.get().conference
    found = (conference.short_name, conference.year) if conference else None
    assert found == expected


def test_a_new_paper_named_by_two_entries_is_created_once_with_free_slugs():
    PaperFactory(title="Scaling 2", slug="scaling-2")
    text = (
        "---\nlayout: post\ntitle: NeurIPS 2023 twice\n---\n"
        "<h3>Selected papers</h3>\n\n<h4>Scaling</h4>\n\nFirst.\n\n"
        "<h4>Scaling</h4>\n\nAgain.\n\n<h4>Scaling 2</h4>\n\nExisting.\n"
    )
    report = import_post(source=MarkdownSource(name="twice.md", data=text.encode()))
    post = Post.objects.get(slug=report.slug)
    entries = Entry.objects.filter(section__post=post).order_by("order")
    assert [e.paper.slug for e in entries] == ["scaling", "scaling", "scaling-2-2"]
    assert Paper.objects.filter(title="Scaling").count() == 1


HOSTILE_POST = """---
title: NeurIPS 2023 Review
{front}---
Intro

<h3>Selected papers</h3>

<h4>A Paper</h4>

Summary.

{link}

<div class="gallery">
<galleryitem src="https://img.example.org/ok.png"></galleryitem>
<galleryitem src="{src}"></galleryitem>
</div>
"""


@pytest.mark.parametrize(
    ("front", "link", "src", "message"),
    [
        (
            "",
            '<a href="javascript:alert(1)">[Paper link]</a>',
            "https://img.example.org/s.png",
            "line 12: the address “javascript:alert(1)” is refused: Only http and https "
            "addresses are allowed; got “javascript:”.",
        ),
        (
            "",
            '<a href="https://arxiv.org/abs/1">[Paper link]</a>',
            "javascript:alert(1)",
            "line 16: the address “javascript:alert(1)” is refused",
        ),
        (
            "",
            '<a href="https://arxiv.org/abs/1">[Paper link]</a>',
            "data:text/html,<b>x</b>",
            "line 16: the address “data:text/html,<b>x</b>” is refused",
        ),
        (
            "image: vbscript:msgbox(1)\n",
            '<a href="https://arxiv.org/abs/1">[Paper link]</a>',
            "https://img.example.org/s.png",
            "line 3: the address “vbscript:msgbox(1)” is refused",
        ),
        (
            "",
            '<a href="https://arxiv.org/abs/1">[Paper link]</a>',
            "img/not-an-address.png",
            "line 8: external_url: Enter a valid URL.",
        ),
    ],
)
def test_import_post_refuses_addresses_that_are_not_http_naming_file_and_line(
    front, link, src, message
):
    text = HOSTILE_POST.format(front=front, link=link, src=src)

    with pytest.raises(MarkdownImportError) as error:
        import_post(source=MarkdownSource("hostile.md", text.encode()))

    assert str(error.value).startswith(f"hostile.md, {message}")
    assert database_state() == ([], 0, 0, 0, 0, 0, 0)


def test_import_post_keeps_a_gallery_path_on_this_site():
    text = HOSTILE_POST.format(
        front="", link='<a href="https://arxiv.org/abs/1">[Paper link]</a>', src="/img/r/s.png"
    )

    import_post(source=MarkdownSource("2023-12-01-relative.md", text.encode()))

    assert list(GalleryImage.objects.values_list("external_url", flat=True)) == [
        "https://img.example.org/ok.png",
        "/img/r/s.png",
    ]


def test_reimport_with_update_makes_forms_open_on_the_post_stale(example_post_path):
    import_post(source=example_post_path)
    before = Post.objects.get(slug="jekyll-post-example").version

    import_post(source=example_post_path, update=True)

    assert Post.objects.get(slug="jekyll-post-example").version == before + 1
