from django.apps import AppConfig

from core.logs import record_fields_trim


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self):
        record_fields_trim()
