from django.urls import path

from .views import catalogue, changes, corrections, data, open_data, sharing
from .views import path as my_path  # django.urls.path is `path` here

app_name = "roadmap"

urlpatterns = [
    path("", catalogue.home, name="home"),
    path("roles/<slug:slug>/", catalogue.role_detail, name="role"),
    path("skills/", catalogue.skill_list, name="skills"),
    path("skills/<slug:slug>/", catalogue.skill_detail, name="skill"),
    path("certifications/", catalogue.certification_list, name="certifications"),
    path("certifications/<slug:slug>/", catalogue.certification_detail, name="certification"),
    path("sources/", catalogue.source_list, name="sources"),
    path("open-data/", open_data.open_data, name="open_data"),
    path("changes/", changes.change_list, name="changes"),
    path("changes/feed/", changes.change_feed, name="changes_feed"),
    path("changes/<int:pk>/", changes.change_detail, name="change"),
    path("path/changes/", changes.my_notices, name="notices"),
    path("corrections/", corrections.my_corrections, name="corrections"),
    path("corrections/new/", corrections.correction_new, name="correction_new"),
    path("path/", my_path.my_path, name="path"),
    path("shared/<str:token>/", sharing.shared_path, name="shared_path"),
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
