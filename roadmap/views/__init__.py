"""The roadmap's views, one module per area of the product; URLs import them from here."""

from .catalogue import (
    certification_detail,
    certification_list,
    home,
    role_detail,
    skill_detail,
    skill_list,
    source_list,
)
from .changes import change_detail, change_feed, change_list, my_notices
from .corrections import correction_new, my_corrections
from .data import export_progress, import_progress
from .open_data import open_data
from .path import (
    credit_current_role,
    my_path,
    progress_history,
    set_certification_status,
    set_path_status,
    set_skill_status,
    skill_note,
)
from .sharing import shared_path

__all__ = [
    "change_detail",
    "change_feed",
    "change_list",
    "my_notices",
    "correction_new",
    "my_corrections",
    "open_data",
    "certification_detail",
    "certification_list",
    "credit_current_role",
    "export_progress",
    "home",
    "import_progress",
    "my_path",
    "progress_history",
    "role_detail",
    "set_certification_status",
    "set_path_status",
    "set_skill_status",
    "shared_path",
    "skill_detail",
    "skill_list",
    "skill_note",
    "source_list",
]
