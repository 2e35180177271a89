"""Who may see or change what: the one module of object-level rules.

Group membership (reviews.workflow.roles) grants model permissions; these functions add the
object half. Curators (the publish permission) edit everything; a contributor edits a post
they created while it is a draft, and its sections and entries. A section or entry that is
added or moved needs the right on the post it goes INTO as well as the one it leaves: checking
only the post an object belongs to now is how a contributor once wrote into published posts.
"""

from papers.rules import can_change_papers  # noqa: F401 - every rule is found here
from reviews.models import Entry, Post, Section
from reviews.workflow.roles import PUBLISH_PERMISSION


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def can_publish(user) -> bool:
    """Publish, schedule and unpublish, and edit posts whatever their state."""
    return _active(user) and user.has_perm(PUBLISH_PERMISSION)


def can_add_post(user) -> bool:
    """New posts start as drafts owned by their creator."""
    return _active(user) and user.has_perm("reviews.add_post")


def can_edit_post(user, post: Post) -> bool:
    """Curators edit any post; a contributor edits a post they created while it is a draft."""
    if not (_active(user) and user.has_perm("reviews.change_post")):
        return False
    if can_publish(user):
        return True
    return post.created_by_id == user.pk and post.status == Post.Status.DRAFT


def can_preview_post(user, post: Post) -> bool:
    """Everyone sees a public post; a draft or scheduled one only those who may change it."""
    return post.is_public or (_active(user) and user.is_staff and can_edit_post(user, post))


def stored_post_of(part: Section | Entry) -> Post | None:
    """The post a saved section or entry belongs to in the database (not in a submitted form)."""
    if part.pk is None:
        return None
    lookup = "sections" if isinstance(part, Section) else "sections__entries"
    return Post.objects.filter(**{lookup: part.pk}).first()


def target_post_of(part: Section | Entry) -> Post | None:
    """The post a section or entry is (about to be) saved into, as the instance says now."""
    if isinstance(part, Section):
        return part.post if part.post_id else None
    return part.section.post if part.section_id else None


def can_change_part(user, *, part: Section | Entry, target_post: Post | None) -> bool:
    """Adding or changing a section or entry: the model permission, the right on the post it
    is stored in now (for a change) and on `target_post`, the post chosen in the form."""
    action = "change" if part.pk else "add"
    if not (_active(user) and user.has_perm(f"reviews.{action}_{part._meta.model_name}")):
        return False
    current = stored_post_of(part)
    if current is not None and not can_edit_post(user, current):
        return False
    return target_post is None or can_edit_post(user, target_post)


def can_delete_part(user, *, part: Section | Entry) -> bool:
    if not (_active(user) and user.has_perm(f"reviews.delete_{part._meta.model_name}")):
        return False
    current = stored_post_of(part)
    return current is None or can_edit_post(user, current)


def can_add_gallery_images(user, *, entry: Entry) -> bool:
    return (
        _active(user)
        and user.has_perm("reviews.add_galleryimage")
        and can_change_part(user, part=entry, target_post=None)
    )


def can_restore_revision(user, *, post: Post) -> bool:
    return can_edit_post(user, post)


def can_change_keynote(user, *, keynote) -> bool:
    action = "change" if keynote.pk else "add"
    return _active(user) and user.has_perm(f"reviews.{action}_keynote")


def can_import(user, *, existing_post: Post | None = None) -> bool:
    """A Markdown import: `user` None is the operator at the shell, who may do anything;
    replacing an existing post needs the right to edit that very post."""
    if user is None:
        return True
    if existing_post is not None:
        return can_edit_post(user, existing_post)
    return can_add_post(user)
