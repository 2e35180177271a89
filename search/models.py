"""The stored suggestions search-as-you-type reads (search.suggest), one row per public or
scheduled paper, author, tag, conference and post, kept current by search.index_suggestions."""

from django.db import models


class Suggestion(models.Model):
    """What the header box offers for one record, and when the record is public from."""

    class Kind(models.TextChoices):
        PAPER = "paper", "Paper"
        AUTHOR = "author", "Author"
        TAG = "tag", "Tag"
        CONFERENCE = "conference", "Conference"
        POST = "post", "Post"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField()
    label = models.CharField(max_length=300)
    url = models.CharField(max_length=300)
    detail = models.CharField(max_length=300, blank=True)
    # reviews.visibility.public_since(): suggested once it has come (a scheduled post's too).
    public_from = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"],
                name="suggestion_unique_object",
                violation_error_message="This record already has a suggestion.",
            )
        ]

    def __str__(self):
        return f"{self.kind}: {self.label}"


class SuggestionWord(models.Model):
    """One word of a suggestion (and, for a paper, of its authors' names), casefolded.

    Found by its first two or three letters through an index that is already in rank order, so
    a short prefix shared by thousands of words reads only the few rows it shows.
    """

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="words", db_index=False
    )
    kind = models.CharField(max_length=10, choices=Suggestion.Kind.choices)
    word = models.CharField(max_length=64)
    prefix2 = models.CharField(max_length=2)
    prefix3 = models.CharField(max_length=3)
    # Lower first: a word that starts the label, then the label's other words, then the rest;
    # within each, the shorter label.
    rank = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["kind", "prefix2", "rank", "suggestion"], name="suggestword_p2"),
            # With the word: a longer prefix is checked in the index, no row read to reject one.
            models.Index(
                fields=["kind", "prefix3", "rank", "suggestion", "word"], name="suggestword_p3"
            ),
            models.Index(fields=["suggestion", "word"], name="suggestword_suggestion"),
        ]

    def __str__(self):
        return self.word
