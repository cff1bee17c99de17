from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zio.accounts"
    label = "accounts"
