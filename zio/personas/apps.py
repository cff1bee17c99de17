from django.apps import AppConfig


class PersonasConfig(AppConfig):
    name = "zio.personas"
    label = "personas"
