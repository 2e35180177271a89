"""Who may change paper records. The papers half of the rules in reviews.workflow.rules, kept here
because papers comes before reviews in the import direction (reviews re-exports it)."""


def can_change_papers(user) -> bool:
    """Paper records and their imports; `user` None is the operator at the shell."""
    return user is None or (
        user.is_authenticated and user.is_active and user.has_perm("papers.change_paper")
    )
