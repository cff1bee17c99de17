from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "zio.common"
    label = "common"
