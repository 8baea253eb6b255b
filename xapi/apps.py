from django.apps import AppConfig


class XapiConfig(AppConfig):
    name = "xapi"
    verbose_name = "xAPI"
