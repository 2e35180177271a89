"""Two unpublished posts for curators to find in the admin: a draft and a scheduled one."""

DRAFT = {
    "slug": "icml-2022-workshop-notes",
    "title": "ICML 2022 Workshop Notes",
    "subtitle": "Notes from the computational biology workshop, still being written",
    "author_name": "Conference Reviews demo",
    "conference": "icml-2022",
    "status": "draft",
    "tags": ["workshop"],
    "intro": "Half-finished notes: a curator still has to add the papers.",
    "sections": [
        {
            "title": "First impressions",
            "free": [
                {
                    "heading": "Posters worth a second look",
                    "summary": "A list to turn into entries.",
                    "slides": 2,
                }
            ],
        }
    ],
}

# Scheduled thirty days after the first load; reloading keeps the date it got then.
SCHEDULED = {
    "slug": "neurips-2023-benchmarks-roundup",
    "title": "NeurIPS 2023 Benchmarks Roundup",
    "subtitle": "Datasets and benchmarks for biology and health",
    "author_name": "Conference Reviews demo",
    "conference": "neurips-2023",
    "status": "scheduled",
    "tags": ["benchmarks"],
    "intro": "Scheduled: it turns public on its publication date, without a cron job.",
    "sections": [
        {
            "title": "Benchmarks",
            "free": [
                {
                    "heading": "Why benchmarks matter",
                    "summary": "ProteinGym, RaLEs and SG×P each fix a gap in evaluation.",
                    "slides": 2,
                }
            ],
        }
    ],
}
