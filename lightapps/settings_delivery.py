"""Settings of what the product delivers after a change (part of lightapps.settings, which
star-imports this): Celery's reliability, the outbox's sweep, WeCom, webhooks, beat's schedule.
The broker itself (REDIS_URL, eager tasks) is chosen in settings.py."""

from django.core.exceptions import ImproperlyConfigured

from lightapps.envvars import env_int, env_str

CELERY_TIMEZONE = "Asia/Shanghai"
# The outbox (workorders.outbox) makes every task safe to run twice; these make the broker give
# a task back when its worker died. acks_late: acknowledged after it ran; reject_on_worker_lost:
# a pool child killed mid-task puts it back in the queue; the visibility timeout: a task taken by
# a worker that vanished (SIGKILL, a lost host) goes to another after this long. It must outlast
# the longest task (the hard time limit below); the outbox's own sweep recovers a stuck row
# sooner (OUTBOX_STALE_SECONDS).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 600),
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
if CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must exceed CELERY_TASK_TIME_LIMIT")
# Broker down: a request enqueueing after its commit gives up within about a second and the
# outbox keeps the work (the request answers as usual), instead of hanging or failing.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The outbox: a sweep every OUTBOX_SWEEP_SECONDS delivers what the fast path left (steps whose
# fan-out did not run, retries that are due, rows whose sender died OUTBOX_STALE_SECONDS ago).
OUTBOX_SWEEP_SECONDS = env_int("OUTBOX_SWEEP_SECONDS", 30)
OUTBOX_STALE_SECONDS = env_int("OUTBOX_STALE_SECONDS", 120)
OUTBOX_GRACE_SECONDS = env_int("OUTBOX_GRACE_SECONDS", 60)
OUTBOX_SWEEP_BATCH = env_int("OUTBOX_SWEEP_BATCH", 200)
# Celery beat (`make beat`): the escalation pass over work orders near or past their deadline.
# On the embedded default `make run` runs the same pass with `manage.py escalation_loop`.
ESCALATION_EVERY_SECONDS = env_int("ESCALATION_EVERY_SECONDS", 60)
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {
        "task": "lightapps.workorders.tasks.outbox_sweep",
        "schedule": OUTBOX_SWEEP_SECONDS,
    },
    "work-orders-escalate": {
        "task": "lightapps.workorders.tasks.work_orders_escalate",
        "schedule": ESCALATION_EVERY_SECONDS,
    },
    # Expired sessions out of the database (Django's clearsessions).
    "clear-sessions": {
        "task": "lightapps.web.tasks.sessions_clear",
        "schedule": env_int("CLEAR_SESSIONS_EVERY_SECONDS", 3600),
    },
    # Audit entries past their retention out of the database.
    "audit-log-prune": {
        "task": "lightapps.audit.tasks.audit_log_prune",
        "schedule": env_int("AUDIT_PRUNE_EVERY_SECONDS", 24 * 3600),
    },
    # 后台导出 past EXPORT_KEEP_HOURS out, files and rows.
    "export-jobs-prune": {
        "task": "lightapps.console.tasks.export_jobs_prune_task",
        "schedule": env_int("EXPORT_PRUNE_EVERY_SECONDS", 3600),
    },
    # 通讯录同步: does nothing while WeCom is not configured.
    "wecom-sync-contacts": {
        "task": "lightapps.wecom.tasks.sync_contacts",
        "schedule": env_int("WECOM_SYNC_EVERY_SECONDS", 6 * 3600),
    },
}

# WeCom: configured when corp id, agent id and secret are all set.
WECOM_CORP_ID = env_str("WECOM_CORP_ID")
WECOM_AGENT_ID = env_str("WECOM_AGENT_ID")
WECOM_SECRET = env_str("WECOM_SECRET")
WECOM_TOKEN = env_str("WECOM_TOKEN")
WECOM_AES_KEY = env_str("WECOM_AES_KEY")
WECOM_API_BASE = env_str("WECOM_API_BASE", "https://qyapi.weixin.qq.com/cgi-bin/")
WECOM_CONFIGURED = bool(WECOM_CORP_ID and WECOM_AGENT_ID and WECOM_SECRET)
# WeCom's OAuth authorize page (another host for 政务微信, or the fake WeCom when trying locally).
WECOM_OAUTH_URL = env_str("WECOM_OAUTH_URL", "https://open.weixin.qq.com/connect/oauth2/authorize")
# WeCom's web login page (扫码登录) for desktop browsers: another host for 政务微信, or the fake.
WECOM_QR_LOGIN_URL = env_str(
    "WECOM_QR_LOGIN_URL", "https://login.work.weixin.qq.com/wwlogin/sso/login"
)
WECOM_TIMEOUT = float(env_int("WECOM_TIMEOUT", 5))
# First wait before a message that met a transient error is sent again (doubling, at most 1 h).
WECOM_RETRY_SECONDS = env_int("WECOM_RETRY_SECONDS", 30)
# A message whose sender died mid-send is sent again only this long after its first try, inside
# WeCom's duplicate check (4 h, which drops the second copy); later it is marked 结果未知
# (workorders.outbox).
WECOM_RESEND_CUTOFF_SECONDS = env_int("WECOM_RESEND_CUTOFF_MINUTES", 210) * 60
if not 0 < WECOM_RESEND_CUTOFF_SECONDS <= 230 * 60:
    raise ImproperlyConfigured("WECOM_RESEND_CUTOFF_MINUTES must be between 1 and 230")
if OUTBOX_STALE_SECONDS <= WECOM_TIMEOUT * 2:
    raise ImproperlyConfigured("OUTBOX_STALE_SECONDS must be well above WECOM_TIMEOUT")
# Webhooks (workorders.webhooks): the wait for a receiver, the first retry delay (doubling, at
# most an hour) and the number of tries before a delivery is left failed.
WEBHOOK_TIMEOUT = float(env_int("WEBHOOK_TIMEOUT", 5))
WEBHOOK_RETRY_SECONDS = env_int("WEBHOOK_RETRY_SECONDS", 30)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 8)
if OUTBOX_STALE_SECONDS <= WEBHOOK_TIMEOUT * 2:
    raise ImproperlyConfigured("OUTBOX_STALE_SECONDS must be well above WEBHOOK_TIMEOUT")
# The role the contact sync grants at each WeCom department's org unit.
WECOM_SYNC_ROLE = env_str("WECOM_SYNC_ROLE", "reporter")
