from django import template

from core.fields import is_safe_url
from reviews.media.renditions import responsive_attrs

register = template.Library()


@register.filter
def responsive(image):
    """A GalleryImage's src, srcset, webp_srcset, width and height, read from its row."""
    src = image.src if is_safe_url(image.src) else ""
    return responsive_attrs(src, image.renditions or {})


@register.filter
def responsive_cover(post):
    """The same for a post's cover: the upload with renditions, else the external URL."""
    src = post.cover_image.url if post.cover_image else post.cover_image_url
    src = src if is_safe_url(src) else ""
    return responsive_attrs(src, post.cover_renditions or {})
