"""The accounts app's URLs, all in the `accounts` namespace: sign-in and the account under
/accounts/, teams and invites at the root (accounts/team_urls.py).

Django's own sign-in and password views look their next step up without a namespace, so
each is given it here (`success_url`), and the reset mail's link is in
templates/registration/password_reset_email.html.
"""

from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from . import team_urls
from .forms import SignInForm
from .views import account, notifications

app_name = "accounts"

account_urls = [
    path("login/", auth_views.LoginView.as_view(authentication_form=SignInForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", account.signup, name="signup"),
    path("confirm-email/<str:token>/", account.confirm_email, name="confirm_email"),
    path("profile/", account.profile, name="profile"),
    path("email/", account.change_email, name="change_email"),
    path("pay-region/", account.set_pay_region, name="pay_region"),
    path("data/", account.my_data, name="my_data"),
    path("delete/", account.delete_account, name="delete_account"),
    path("share/", account.share, name="share"),
    path("calendar/", account.calendar_feed, name="calendar"),
    path("notifications/", notifications.set_notifications, name="notifications"),
    path("unsubscribe/<str:token>/", notifications.unsubscribe, name="unsubscribe"),
    path(
        "password_change/",
        auth_views.PasswordChangeView.as_view(
            success_url=reverse_lazy("accounts:password_change_done")
        ),
        name="password_change",
    ),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password_reset/",
        account.PasswordResetView.as_view(
            success_url=reverse_lazy("accounts:password_reset_done")
        ),
        name="password_reset",
    ),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("accounts:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("accounts/", include(account_urls)),
    *team_urls.urlpatterns,
]
