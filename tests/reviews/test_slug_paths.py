"""Addresses built from a path reversed once are reverse()'s own."""

import pytest
from django.urls import NoReverseMatch, reverse

from reviews.slug_paths import slug_path


def test_slug_path_is_reverse_for_every_slug_the_pattern_takes():
    for slug in ["genomics", "a_b-9", "Z"]:
        assert slug_path("reviews:tag-detail", slug) == reverse("reviews:tag-detail", args=[slug])
    with pytest.raises(NoReverseMatch):  # as reverse() refuses it
        slug_path("reviews:tag-detail", "x/y")
    assert slug_path("reviews:keynote-detail", 42, placeholder="9999") == reverse(
        "reviews:keynote-detail", args=[42]
    )
