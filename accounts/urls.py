from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import notifications, views
from .forms import SignInForm

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=SignInForm), name="login"),
    path("signup/", views.signup, name="signup"),
    path("confirm-email/<str:token>/", views.confirm_email, name="confirm_email"),
    path("profile/", views.profile, name="profile"),
    path("email/", views.change_email, name="change_email"),
    path("pay-region/", views.set_pay_region, name="pay_region"),
    path("data/", views.my_data, name="my_data"),
    path("delete/", views.delete_account, name="delete_account"),
    path("share/", views.share, name="share"),
    path("notifications/", notifications.set_notifications, name="notifications"),
    path("unsubscribe/<str:token>/", notifications.unsubscribe, name="unsubscribe"),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("", include("django.contrib.auth.urls")),
]
