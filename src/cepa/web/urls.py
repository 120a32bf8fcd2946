from django.urls import path

from cepa.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
