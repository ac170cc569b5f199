"""Run the fake WeCom for trying the WeCom login locally (`make run-wecom`)."""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand

from lightapps.orgs.models import Person
from lightapps.wecom.fake import FakeWeCom


class Command(BaseCommand):
    help = "Serve a fake WeCom on 127.0.0.1 with the demo people as its contacts."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8011)
        parser.add_argument("--user", default="jny_grid", help="who is 'on the phone'")
        parser.add_argument("--env-file", help="write the WECOM_* settings there as KEY=value")

    def handle(self, *args, port, user, env_file, **options):
        fake = FakeWeCom(current_user=user)
        for person in Person.objects.exclude(wecom_userid=None).order_by("username"):
            fake.add_user(person.wecom_userid, person.display_name, [1])
        fake.add_department(1, "本单位")
        fake.start(port=port)
        values = fake.settings()
        if env_file:
            Path(env_file).write_text("".join(f"{k}={v}\n" for k, v in values.items()))
        self.stdout.write(f"fake WeCom at {fake.url}, signed in as {user}")
        self.stdout.write(json.dumps(values, indent=2))
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            fake.stop()
