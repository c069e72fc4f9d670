from django.core.management.base import BaseCommand, CommandError

from certificates.services import (
    CertificateError,
    certificate_find,
    certificate_reinstate,
    certificate_revoke,
)


class Command(BaseCommand):
    help = "Revoke a certificate (with a reason shown on its verify page), or reinstate it."

    def add_arguments(self, parser):
        parser.add_argument("id", help="certificate id, e.g. 7K3M-Q9TD-2HXA-W4PE")
        parser.add_argument("--reason", default="", help="why (required to revoke)")
        parser.add_argument("--undo", action="store_true", help="reinstate a revoked certificate")
        parser.add_argument("--by", default="", help="who is acting (default: command line)")

    def handle(self, *args, id: str, reason: str, undo: bool, by: str, **options):
        certificate = certificate_find(code=id)
        if certificate is None:
            raise CommandError(f"No certificate has the id '{id}'.")
        actor_label = by or "command line"
        try:
            if undo:
                certificate = certificate_reinstate(
                    certificate=certificate, reason=reason, actor_label=actor_label
                )
                self.stdout.write(self.style.SUCCESS(f"Reinstated {certificate.display_code}."))
            else:
                certificate = certificate_revoke(
                    certificate=certificate, reason=reason, actor_label=actor_label
                )
                self.stdout.write(
                    self.style.SUCCESS(f"Revoked {certificate.display_code}: {reason.strip()}")
                )
        except CertificateError as error:
            raise CommandError(str(error)) from error
