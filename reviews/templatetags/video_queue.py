"""The admin index's line about suggested videos waiting for a curator."""

from django import template
from django.urls import reverse

from papers.models import PaperVideo, Video
from reviews.models import KeynoteVideo

register = template.Library()


@register.simple_tag(takes_context=True)
def waiting_videos(context) -> list[tuple[str, int, str]]:
    """(label, waiting count, filtered queue URL) per video model the user may review."""
    user = context["request"].user
    queues = []
    for model, label in ((PaperVideo, "paper"), (KeynoteVideo, "keynote")):
        opts = model._meta
        if not user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
            continue
        count = model.objects.waiting().count()
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        queues.append((label, count, f"{url}?state__exact={Video.State.WAITING}"))
    return queues
