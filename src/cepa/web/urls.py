from django.contrib.auth import views as auth_views
from django.urls import path

from cepa.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("language/<str:language>/", views.set_language, name="set-language"),
    path("sources/", views.sources, name="sources"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
