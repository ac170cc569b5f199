"""`python manage.py seed_demo [--records] [--superuser]`: the demo district, people, apps (and reports)."""

from django.core.management.base import BaseCommand

from lightapps.demo.history import seed_demo_history
from lightapps.demo.records import seed_demo_records
from lightapps.demo.seed import seed_demo
from lightapps.orgs.models import OrgUnit


class Command(BaseCommand):
    help = "Create or update the 静安区 demo data (org tree, demo people, three light apps)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--records",
            action="store_true",
            help="also store demo reports with photos and months of work-order history",
        )
        parser.add_argument(
            "--superuser",
            action="store_true",
            help="make the demo administrator (jingan_admin) a Django superuser",
        )

    def handle(self, *args, **options):
        summary = seed_demo(superusers=options["superuser"])
        labels = dict(OrgUnit.Kind.choices)
        units = "，".join(
            f"{labels[kind]} {count}" for kind, count in summary["units"].items() if count
        )
        apps = "，".join(f"{key} v{number}" for key, number in summary["apps"].items())
        published = "、".join(summary["published"]) or "无"
        self.stdout.write(f"组织：{units}")
        self.stdout.write(f"演示人员：{summary['people']}")
        self.stdout.write(f"轻应用：{len(summary['apps'])}（{apps}）；本次发布新版本：{published}")
        if options["records"]:
            self.stdout.write(f"演示上报：本次新增 {seed_demo_records()} 条")
            self.stdout.write(f"演示历史工单：本次新增 {seed_demo_history()} 张")
        self.stdout.write(self.style.SUCCESS("演示数据已就绪"))
