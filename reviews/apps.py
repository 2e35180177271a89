from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class ReviewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reviews"
    verbose_name = "Conference reviews"

    def ready(self):
        from core.page_cache import connect_signals
        from papers.models import PaperVideo
        from papers.videos import videos_approved, videos_rejected
        from reviews import cards, rendering
        from reviews.media import signals, video_thumbnails
        from reviews.models import GalleryImage, KeynoteVideo, Post
        from reviews.workflow.roles import sync_curator_group

        post_migrate.connect(sync_curator_group, sender=self)
        connect_signals()
        post_save.connect(signals.gallery_image_saved, sender=GalleryImage)
        post_save.connect(signals.post_saved, sender=Post)
        post_delete.connect(signals.gallery_image_deleted, sender=GalleryImage)
        post_delete.connect(signals.post_deleted, sender=Post)
        rendering.connect_signals()
        cards.connect_signals()
        videos_approved.connect(video_thumbnails.queue_thumbnails)
        videos_rejected.connect(video_thumbnails.drop_thumbnails)
        for video_model in (PaperVideo, KeynoteVideo):
            post_delete.connect(video_thumbnails.video_deleted, sender=video_model)

    def after_restore(self):
        """A restored backup's public flags and post cards are recomputed from its rows
        (core.backup)."""
        from reviews.cards import refresh_post_cards
        from reviews.models import Post
        from reviews.visibility import refresh_public_flags

        refresh_public_flags()
        refresh_post_cards(post_ids=Post.objects.values_list("pk", flat=True))
