from django.urls import path

from . import views

app_name = "roadmap"

urlpatterns = [
    path("", views.home, name="home"),
    path("roles/<slug:slug>/", views.role_detail, name="role"),
    path("skills/", views.skill_list, name="skills"),
    path("skills/<slug:slug>/", views.skill_detail, name="skill"),
    path("certifications/", views.certification_list, name="certifications"),
    path("certifications/<slug:slug>/", views.certification_detail, name="certification"),
    path("sources/", views.source_list, name="sources"),
    path("open-data/", views.open_data, name="open_data"),
    path("changes/", views.change_list, name="changes"),
    path("changes/feed/", views.change_feed, name="changes_feed"),
    path("changes/<int:pk>/", views.change_detail, name="change"),
    path("path/changes/", views.my_notices, name="notices"),
    path("corrections/", views.my_corrections, name="corrections"),
    path("corrections/new/", views.correction_new, name="correction_new"),
    path("path/", views.my_path, name="path"),
    path("shared/<str:token>/", views.shared_path, name="shared_path"),
    path("path/skills/<slug:slug>/status/", views.set_skill_status, name="skill_status"),
    path("path/status/", views.set_path_status, name="path_status"),
    path("path/credit/", views.credit_current_role, name="credit"),
    path("path/history/", views.progress_history, name="history"),
    path("path/import/", views.import_progress, name="import"),
    path("path/export.csv", views.export_progress, {"fmt": "csv"}, name="export_csv"),
    path("path/export.json", views.export_progress, {"fmt": "json"}, name="export_json"),
    path("path/skills/<slug:slug>/note/", views.skill_note, name="skill_note"),
    path(
        "path/certifications/<slug:slug>/",
        views.set_certification_status,
        name="certification_plan",
    ),
]
