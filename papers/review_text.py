"""A review field's text as the paper page shows it, rendered once when the excerpt is saved.

The page quotes up to twenty reviews of five fields each; folding and paragraphing every field
on every request cost about half a millisecond a review, so the result is stored in
`PeerReviewExcerpt.text_html` (as a post's body is stored in `Post.body_html`).
"""

from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe

# Longer fields show their first part; the rest folds behind “Show more”.
FOLD_AFTER = 600


def fold_text(text: str, *, limit: int = FOLD_AFTER) -> tuple[str, str]:
    """(shown, folded): whole paragraphs up to `limit` characters, else cut between words."""
    text = text.strip()
    if len(text) <= limit:
        return text, ""
    paragraphs = text.split("\n\n")
    head = paragraphs[0]
    if len(head) > limit:
        cut = text.rfind(" ", 0, limit)
        cut = cut if cut > 0 else limit
        return text[:cut], text[cut:].strip()
    for i, paragraph in enumerate(paragraphs[1:], start=1):
        if len(head) + 2 + len(paragraph) > limit:
            return head, "\n\n".join(paragraphs[i:])
        head = f"{head}\n\n{paragraph}"
    return head, ""


def excerpt_html(text: str) -> str:
    """Escaped paragraphs of the shown part, the rest in a “Show more” fold."""
    head, rest = fold_text(text)
    html = linebreaks(head, autoescape=True)
    if rest:
        folded = linebreaks(rest, autoescape=True)
        html += f'\n<details class="show-more"><summary>Show more</summary>{folded}</details>'
    return html


def fields_html(fields) -> SafeString:
    """A card's fields as sections: `(label, text_html)` pairs, the HTML stored by
    `excerpt_html`. Joined here, not looped over in the template: twenty cards of five fields
    would be two hundred template variables."""
    # Safe: the label is escaped here, the text HTML was rendered (escaped) by excerpt_html.
    return mark_safe(
        "".join(
            f'<section class="review-field"><h4>{escape(label)}</h4>{html}</section>'
            for label, html in fields
        )
    )
