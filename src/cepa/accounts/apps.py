from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cepa.accounts"
    label = "accounts"
