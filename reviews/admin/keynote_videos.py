"""Videos readers suggested for keynotes: the same queue as papers' (papers.admin.videos)."""

from django.contrib import admin

from papers.admin.videos import VideoQueueAdmin
from reviews.models import KeynoteVideo


@admin.register(KeynoteVideo)
class KeynoteVideoAdmin(VideoQueueAdmin):
    target_field = "keynote"
    autocomplete_fields = ["keynote"]
    search_fields = [*VideoQueueAdmin.search_fields, "keynote__title", "keynote__speaker"]
