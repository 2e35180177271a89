from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.fields import is_safe_url
from reviews.media.renditions import responsive_attrs

register = template.Library()
GALLERY_SIZES = "(min-width: 48rem) 20rem, 50vw"


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


@register.simple_tag
def gallery_items(images, heading):
    """Every slide of a gallery as a <figure> with its opening button and responsive <img>.

    Built in Python rather than by an include per image: a post with 56 slides spent a third
    of its render time in include and context bookkeeping. Every value is escaped here.
    """
    return mark_safe("".join(_gallery_item(image, escape(heading)) for image in images))


def _gallery_item(image, heading):
    r = responsive(image)
    if not r["src"]:
        return ""
    sizes = escape(GALLERY_SIZES)
    alt = escape(image.alt_text) if image.alt_text else heading
    srcset = f' srcset="{escape(r["srcset"])}" sizes="{sizes}"' if r["srcset"] else ""
    size = f' width="{r["width"]}" height="{r["height"]}"' if r["width"] else ""
    img = (
        f'<img src="{escape(r["src"])}"{srcset}{size} alt="{alt}" loading="lazy" decoding="async">'
    )
    if r["webp_srcset"]:
        webp = escape(r["webp_srcset"])
        img = f'<picture><source type="image/webp" srcset="{webp}" sizes="{sizes}">{img}</picture>'
    caption = escape(image.caption)
    figcaption = f"\n  <figcaption>{caption}</figcaption>" if image.caption else ""
    return (
        f'<figure class="gallery-item">\n'
        f'  <button type="button" class="gallery-open" data-full="{escape(r["src"])}"'
        f' data-caption="{caption}">\n    {img}\n  </button>{figcaption}\n</figure>'
    )
