from django.contrib.auth import views as auth_views
from django.urls import include, path

from .forms import SignInForm
from .views import account, notifications

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=SignInForm), name="login"),
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
    path("password_reset/", account.PasswordResetView.as_view(), name="password_reset"),
    path("", include("django.contrib.auth.urls")),
]
