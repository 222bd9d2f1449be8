from django.urls import path

from .views import (
    calendar,
    catalogue,
    changes,
    checks,
    compare,
    corrections,
    data,
    open_data,
    search,
    sharing,
)
from .views import path as my_path  # django.urls.path is `path` here

app_name = "roadmap"

urlpatterns = [
    path("", catalogue.home, name="home"),
    path("roles/<slug:slug>/", catalogue.role_detail, name="role"),
    path("skills/", catalogue.skill_list, name="skills"),
    path("skills/<slug:slug>/", catalogue.skill_detail, name="skill"),
    path("skills/<slug:slug>/check/", checks.check_skill, name="check"),
    path("checks/<int:pk>/", checks.attempt_page, name="check_attempt"),
    path("checks/<int:pk>/answer/", checks.answer, name="check_answer"),
    path("certifications/", catalogue.certification_list, name="certifications"),
    # Before the certification's own page: "compare" is not a certification's slug.
    path("certifications/compare/", compare.compare, name="compare"),
    path("certifications/<slug:slug>/", catalogue.certification_detail, name="certification"),
    path("sources/", catalogue.source_list, name="sources"),
    path("search/", search.search, name="search"),
    path("open-data/", open_data.open_data, name="open_data"),
    path("changes/", changes.change_list, name="changes"),
    path("changes/feed/", changes.change_feed, name="changes_feed"),
    path("changes/<int:pk>/", changes.change_detail, name="change"),
    path("path/changes/", changes.my_notices, name="notices"),
    path("corrections/", corrections.my_corrections, name="corrections"),
    path("corrections/new/", corrections.correction_new, name="correction_new"),
    path("path/", my_path.my_path, name="path"),
    path("shared/<str:token>/", sharing.shared_path, name="shared_path"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("path/skills/<slug:slug>/status/", my_path.set_skill_status, name="skill_status"),
    path("path/status/", my_path.set_path_status, name="path_status"),
    path("path/credit/", my_path.credit_current_role, name="credit"),
    path("path/target/<slug:slug>/", my_path.set_target, name="target"),
    path("path/history/", my_path.progress_history, name="history"),
    path("path/import/", data.import_progress, name="import"),
    path("path/export.csv", data.export_progress, {"fmt": "csv"}, name="export_csv"),
    path("path/export.json", data.export_progress, {"fmt": "json"}, name="export_json"),
    path("path/skills/<slug:slug>/note/", my_path.skill_note, name="skill_note"),
    path(
        "path/certifications/<slug:slug>/",
        my_path.set_certification_status,
        name="certification_plan",
    ),
]
