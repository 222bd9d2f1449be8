from django.urls import path

from . import team_views as views

urlpatterns = [
    path("teams/", views.team_list, name="teams"),
    path("teams/<int:pk>/", views.team_detail, name="team"),
    path("teams/<int:pk>/team.csv", views.team_csv, name="team_csv"),
    path("teams/<int:pk>/plan.csv", views.team_plan_csv, name="team_plan_csv"),
    path("teams/<int:pk>/members/", views.team_members, name="team_members"),
    path("teams/<int:pk>/invites/", views.create_invite, name="team_invite"),
    path("teams/<int:pk>/invites/email/", views.email_invites, name="team_invite_email"),
    path(
        "teams/<int:pk>/invites/<int:invite_pk>/revoke/",
        views.revoke_invite,
        name="team_invite_revoke",
    ),
    path("teams/<int:pk>/welcome/", views.team_welcome, name="team_welcome"),
    path("teams/<int:pk>/leave/", views.leave_team, name="team_leave"),
    path(
        "teams/<int:pk>/members/<int:member_pk>/remove/",
        views.remove_member,
        name="team_remove",
    ),
    path("teams/<int:pk>/members/<int:member_pk>/role/", views.set_member_role, name="team_role"),
    path(
        "teams/<int:pk>/members/<int:member_pk>/suggest/",
        views.suggest_role,
        name="team_suggest",
    ),
    path("teams/<int:pk>/suggestion/", views.answer_suggestion, name="team_suggestion"),
    path("join/<str:token>/", views.join_team, name="join_team"),
]
