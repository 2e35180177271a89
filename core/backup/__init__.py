"""Whole-site backup: one zip with every piece of content and every file a row refers to.

`export_site` writes users, groups, the content apps and the admin log (dumpdata records, with
natural keys so they load into any instance whatever its primary keys and content types) and
every file a FileField or a rendition record refers to. `import_site` checks the whole archive,
loads it in one transaction into an empty instance (`force=True` replaces existing content)
and swaps the files in after the commit.
"""

from core.backup.archive import BackupError, BackupReport
from core.backup.export import export_site
from core.backup.restore import delete_content, existing_content, import_site

__all__ = [
    "BackupError",
    "BackupReport",
    "delete_content",
    "existing_content",
    "export_site",
    "import_site",
]
