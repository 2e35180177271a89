"""Query and path parameter types: bounded, so hostile values (NUL bytes, 10 KB strings, huge
numbers) fail validation and answer 400 instead of reaching the database."""

from typing import Annotated

from ninja import Path, Query

SLUG_PATTERN = r"^[-a-zA-Z0-9_]{1,200}$"

SlugPath = Annotated[
    str, Path(description="The record's slug.", max_length=200, pattern=SLUG_PATTERN)
]
ConferenceFilter = Annotated[
    str | None,
    Query(
        description="A conference slug.", max_length=200, pattern=SLUG_PATTERN, example="conf0-2023"
    ),
]
TagFilter = Annotated[
    str | None,
    Query(description="A tag slug.", max_length=200, pattern=SLUG_PATTERN, example="genomics"),
]
YearFilter = Annotated[
    int | None, Query(description="The conference's year.", ge=1900, le=2100, example=2023)
]
IdPath = Annotated[int, Path(description="The record's numeric id.", ge=1, le=2**63 - 1, example=1)]
