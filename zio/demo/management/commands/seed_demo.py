from django.core.management.base import BaseCommand

from zio.demo import content
from zio.demo.services import demo_seed


class Command(BaseCommand):
    help = "Load the demo region, organisations, users and persona (safe to run again)."

    def handle(self, *args: object, **options: object) -> None:
        report = demo_seed()
        if report.created:
            for line in report.created:
                self.stdout.write(f"  + {line}")
        else:
            self.stdout.write("Demodata stond er al; niets veranderd.")
        self.stdout.write(
            self.style.SUCCESS("Demo log-ins (wachtwoord voor allemaal: ")
            + content.DEMO_PASSWORD
            + ")"
        )
        for email, full_name, roles in content.USERS:
            where = ", ".join(
                f"{role.label.lower()} bij {content.ORGANISATIONS[key]['name']}"
                for key, role in roles
            )
            self.stdout.write(f"  {email:<36} {full_name} – {where}")
