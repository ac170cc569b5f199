from django.core.management.base import BaseCommand, CommandError

from lightapps.wecom.client import wecom_configured
from lightapps.wecom.services import contacts_sync


class Command(BaseCommand):
    help = "通讯录同步: WeCom departments → org units, users → people with memberships."

    def handle(self, *args, **options):
        if not wecom_configured():
            raise CommandError(
                "WeCom is not configured (WECOM_CORP_ID, WECOM_AGENT_ID, WECOM_SECRET)"
            )
        report = contacts_sync()
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write("有变化" if report.changed else "无变化")
