"""Print the API token of a person, creating it when missing (for integrations)."""

from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token

from lightapps.orgs.models import Person


class Command(BaseCommand):
    help = "Print the API token for USERNAME (creates one if missing; --rotate replaces it)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--rotate", action="store_true", help="replace an existing token")

    def handle(self, *args, username, rotate=False, **options):
        person = Person.objects.filter(username=username, is_active=True).first()
        if person is None:
            raise CommandError(f"no active person with username {username!r}")
        if rotate:
            Token.objects.filter(user=person).delete()
        token, _created = Token.objects.get_or_create(user=person)
        self.stdout.write(token.key)
