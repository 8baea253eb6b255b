from django.contrib.auth import views as auth_views
from django.urls import path

from . import phone_views, views, views_data_rights

app_name = "accounts"

urlpatterns = [
    path("signup/", views.SignupView.as_view(), name="signup"),
    path("signup/sent/", views.SignupSentView.as_view(), name="signup-sent"),
    path("signup/confirm/<uidb64>/<token>/", views.SignupConfirmView.as_view(), name="signup-confirm"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("phone/", phone_views.PhoneLoginView.as_view(), name="phone-login"),
    path("phone/code/", phone_views.PhoneCodeView.as_view(), name="phone-code"),
    path("phone/signup/", phone_views.PhoneSignupView.as_view(), name="phone-signup"),
    path("phone/add/", phone_views.PhoneAddView.as_view(), name="phone-add"),
    path("phone/add/code/", phone_views.PhoneAddCodeView.as_view(), name="phone-add-code"),
    path("phone/remove/", phone_views.PhoneRemoveView.as_view(), name="phone-remove"),
    path("email/verify/", phone_views.EmailVerifySendView.as_view(), name="email-verify-send"),
    path("email/verify/<str:token>/", phone_views.EmailVerifyView.as_view(), name="email-verify"),
    path("wechat/<int:identity_id>/unlink/", phone_views.WeChatUnlinkView.as_view(), name="wechat-unlink"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("profile/export/", views_data_rights.DataExportView.as_view(), name="data-export"),
    path("profile/delete/", views_data_rights.AccountDeleteView.as_view(), name="account-delete"),
    path("deleted/", views_data_rights.AccountDeletedView.as_view(), name="account-deleted"),
    path("language/", views.LanguageSwitchView.as_view(), name="set-language"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password-change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path("password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password-reset-confirm"),
    path("password/reset/complete/", views.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
]
