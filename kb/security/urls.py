from django.urls import path

from . import twofactor

app_name = "kb_security"

urlpatterns = [
    path("", twofactor.setup, name="setup"),
    path("verify/", twofactor.verify, name="verify"),
]
