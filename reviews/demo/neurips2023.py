"""The NeurIPS 2023 Health & Bio review: 2 keynotes and 12 papers, 4 slides each.

Facts (titles, authors, affiliations, links) come from the public post and the papers; the
summaries are written for this project. Review excerpts on these papers are illustrative demo
text under "Demo reviewer" labels, not quotes of the papers' real reviews.
"""

from reviews.demo.neurips2023_papers import PAPERS

CONFERENCE = {
    "short_name": "NeurIPS",
    "year": 2023,
    "slug": "neurips-2023",
    "full_name": "Conference on Neural Information Processing Systems",
    "location": "New Orleans, USA",
    "website": "https://neurips.cc/Conferences/2023",
    "start_date": "2023-12-10",
    "end_date": "2023-12-16",
}

POST = {
    "slug": "neurips-2023-health-bio-conference-review",
    "title": "NeurIPS 2023 Health & Bio Conference Review",
    "subtitle": "What happened in health and bio at NeurIPS 2023?",
    "author_name": "Patrick Schwab",
    "social_url": "https://twitter.com/schwabpa/status/1599423696048832512?s=20",
    "reading_time": "5 min",
    "published_at": "2023-12-20T09:00:00+00:00",
    "tags": ["conference review", "health", "biology"],
    "intro": (
        "NeurIPS 2023 brought more machine learning for biology and health than anyone could "
        "follow in one week.\n\n"
        "This review collects the talks and papers at that intersection that stood out to us, "
        "with slides and links so you can dig further."
    ),
    "conclusion": (
        "Themes that kept coming back:\n"
        "- deep learning meeting causal reasoning\n"
        "- data-driven methods rebuilding each layer of the healthcare stack\n"
        "- a growing, though still modest, share of bio and health work next to vision and language"
    ),
    "disclaimer": (
        "DISCLAIMER: This is a personal selection. It surely misses important work, in particular "
        "from the workshops and competitions, and is meant as a starting point for your own "
        "reading."
    ),
}

KEYNOTES = [
    {
        "title": "Delusion of Scaling and Democratization of Generative Models",
        "speaker": "Björn Ommer",
        "affiliation": "LMU Munich",
        "summary": (
            "Ommer, known for Stable Diffusion, frames vision as understanding without touching "
            "and perception as prediction.\n"
            "He argues that intelligence means learning with limited resources, and that open, "
            "accessible models keep research possible beyond the largest labs."
        ),
        "slides": 4,
    },
    {
        "title": "Systems for Foundation Models, and Foundation Models for Systems",
        "speaker": "Chris Re",
        "affiliation": "Stanford University",
        "summary": (
            "Ré describes the shift foundation models bring, from solving each task in detail to "
            "solving tasks in general.\n"
            "Data cleaning serves as his worked example of where such models, open ones included, "
            "have moved the field forward."
        ),
        "slides": 4,
    },
]

SECTIONS = [
    {"title": "Keynotes", "keynotes": KEYNOTES},
    {"title": "Selected papers", "papers": PAPERS},
]
