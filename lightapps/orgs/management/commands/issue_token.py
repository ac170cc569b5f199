"""API tokens for integrations: issue (shown once), rotate, revoke, list. Every issue and
revoke is written to the audit log with the operating-system user who ran the command."""

import getpass

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lightapps.errors import DomainError
from lightapps.orgs.models import ApiToken, Person
from lightapps.orgs.tokens import token_issue, token_revoke


class Command(BaseCommand):
    help = (
        "Issue an API token for USERNAME and print it (it is stored hashed: this is the only "
        "time it is shown). --days N sets its lifetime (default API_TOKEN_DAYS); --rotate "
        "revokes the person's other tokens first; --revoke only revokes them all; --list shows "
        "them."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=None, help="lifetime in days")
        parser.add_argument("--note", default="", help="what the token is for")
        parser.add_argument("--rotate", action="store_true", help="revoke existing tokens first")
        parser.add_argument("--revoke", action="store_true", help="revoke all, issue none")
        parser.add_argument("--list", dest="show", action="store_true", help="list the tokens")

    def handle(self, *args, username, days, note, rotate, revoke, show, **options):
        person = Person.objects.filter(username=username, is_active=True).first()
        if person is None:
            raise CommandError(f"no active person with username {username!r}")
        by = f"manage.py issue_token ({getpass.getuser()})"
        tokens = ApiToken.objects.filter(person=person)
        if show:
            now = timezone.now()
            for t in tokens.order_by("created_at"):
                state = (
                    "revoked" if t.revoked_at else ("expired" if t.expires_at <= now else "live")
                )
                used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
                self.stdout.write(
                    f"{t.prefix}…  {state:7}  expires {t.expires_at:%Y-%m-%d}  "
                    f"last used {used}  {t.note}"
                )
            return
        if revoke or rotate:
            count = token_revoke(tokens=tokens, by=by)
            if revoke:
                self.stdout.write(f"revoked {count} token(s) of {username}")
                return
        try:
            token, key = token_issue(person=person, days=days, note=note, by=by)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stderr.write(f"token for {username}, valid until {token.expires_at:%Y-%m-%d %H:%M}")
        self.stdout.write(key)
