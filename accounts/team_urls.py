"""Teams and invites, at the root; included by accounts/urls.py in the `accounts` namespace."""

from django.urls import path

from .views import teams

urlpatterns = [
    path("teams/", teams.team_list, name="teams"),
    path("teams/<int:pk>/", teams.team_detail, name="team"),
    path("teams/<int:pk>/team.csv", teams.team_csv, name="team_csv"),
    path("teams/<int:pk>/plan.csv", teams.team_plan_csv, name="team_plan_csv"),
    path("teams/<int:pk>/members/", teams.team_members, name="team_members"),
    path("teams/<int:pk>/invites/", teams.create_invite, name="team_invite"),
    path("teams/<int:pk>/invites/email/", teams.email_invites, name="team_invite_email"),
    path(
        "teams/<int:pk>/invites/<int:invite_pk>/revoke/",
        teams.revoke_invite,
        name="team_invite_revoke",
    ),
    path("teams/<int:pk>/welcome/", teams.team_welcome, name="team_welcome"),
    path("teams/<int:pk>/leave/", teams.leave_team, name="team_leave"),
    path(
        "teams/<int:pk>/members/<int:member_pk>/remove/",
        teams.remove_member,
        name="team_remove",
    ),
    path(
        "teams/<int:pk>/members/<int:member_pk>/role/",
        teams.set_member_role,
        name="team_role",
    ),
    path(
        "teams/<int:pk>/members/<int:member_pk>/suggest/",
        teams.suggest_role,
        name="team_suggest",
    ),
    path("teams/<int:pk>/suggestion/", teams.answer_suggestion, name="team_suggestion"),
    path("join/<str:token>/", teams.join_team, name="join_team"),
]
