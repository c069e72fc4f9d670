from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from . import backends, throttle  # noqa: F401 - connects their signal receivers
