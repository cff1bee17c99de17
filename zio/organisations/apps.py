from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "zio.organisations"
    label = "organisations"
