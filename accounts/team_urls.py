from django.urls import path

from . import team_views

urlpatterns = [
    path("teams/", team_views.team_list, name="teams"),
    path("teams/<int:pk>/", team_views.team_detail, name="team"),
    path("teams/<int:pk>/team.csv", team_views.team_csv, name="team_csv"),
    path("teams/<int:pk>/plan.csv", team_views.team_plan_csv, name="team_plan_csv"),
    path("teams/<int:pk>/members/", team_views.team_members, name="team_members"),
    path("teams/<int:pk>/invites/", team_views.create_invite, name="team_invite"),
    path("teams/<int:pk>/invites/email/", team_views.email_invites, name="team_invite_email"),
    path(
        "teams/<int:pk>/invites/<int:invite_pk>/revoke/",
        team_views.revoke_invite,
        name="team_invite_revoke",
    ),
    path("teams/<int:pk>/welcome/", team_views.team_welcome, name="team_welcome"),
    path("teams/<int:pk>/leave/", team_views.leave_team, name="team_leave"),
    path(
        "teams/<int:pk>/members/<int:member_pk>/remove/",
        team_views.remove_member,
        name="team_remove",
    ),
    path(
        "teams/<int:pk>/members/<int:member_pk>/role/",
        team_views.set_member_role,
        name="team_role",
    ),
    path(
        "teams/<int:pk>/members/<int:member_pk>/suggest/",
        team_views.suggest_role,
        name="team_suggest",
    ),
    path("teams/<int:pk>/suggestion/", team_views.answer_suggestion, name="team_suggestion"),
    path("join/<str:token>/", team_views.join_team, name="join_team"),
]
