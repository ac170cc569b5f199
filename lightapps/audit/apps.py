from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "lightapps.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (logins, logouts, failures, lockouts, admin changes)
