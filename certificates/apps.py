from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"

    def ready(self):
        from core.health import register_check

        from . import credentials, tasks  # noqa: F401 - tasks connects its signal receivers
        from .models import pdf_storage

        def storage() -> None:
            # Listing the folder proves the storage answers; nothing is written.
            pdf_storage().exists("pdf")

        register_check("certificate_storage", storage)
        register_check("signing_key", credentials.signing_key)
