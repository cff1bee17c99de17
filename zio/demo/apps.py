from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "zio.demo"
    label = "demo"
