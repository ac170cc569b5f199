#!/usr/bin/env bash
# `make serve`: the product in production mode on this machine, against PostgreSQL and Redis: the
# Procfile's four processes (web, ws, worker, beat) under honcho, until Ctrl-C.
#
#   deploy/serve.sh            prepare (create the database if missing, migrate, collectstatic),
#                              then start; SEED_DEMO=1 also loads the demo data
#   deploy/serve.sh manage …   manage.py with the same settings (e.g. createsuperuser)
#
# Every setting can be given in the environment; what is not gets a default for local use. Plain
# HTTP on loopback, so SECURE_SSL_REDIRECT defaults to 0 here (behind the TLS proxy leave it on).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"

export DJANGO_PRODUCTION=1
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/lightapps}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
host="${HOST:-127.0.0.1}"
web_port="${WEB_PORT:-8000}"
export WEB_BIND="${WEB_BIND:-$host:$web_port}"
export WS_HOST="${WS_HOST:-$host}" WS_PORT="${WS_PORT:-8001}"
# No proxy here: the console's pages reach the ws process on its own port.
export LIVE_WS_URL="${LIVE_WS_URL:-ws://$WS_HOST:$WS_PORT/ws/console/}"
export SITE_URL="${SITE_URL:-http://$host:$web_port}"
export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-0}"
export BEAT_SCHEDULE_FILE="${BEAT_SCHEDULE_FILE:-$PWD/.venv/celerybeat-schedule}"
if [ -z "${SECRET_KEY:-}" ]; then
  # One random key for this checkout, kept in the (git-ignored) virtualenv.
  key_file=.venv/serve-secret-key
  if [ ! -s "$key_file" ]; then
    (umask 077 && python -c 'import secrets; print(secrets.token_urlsafe(64))' >"$key_file")
  fi
  SECRET_KEY="$(cat "$key_file")"
fi
export SECRET_KEY

case "${1:-start}" in
  start) ;;
  manage) shift; exec python manage.py "$@" ;;
  *) echo "usage: $0 [start | manage ARGS...]" >&2; exit 2 ;;
esac

python deploy/createdb.py
# Locally one warning is expected: SECURE_SSL_REDIRECT is off (plain HTTP, no TLS proxy).
python manage.py check --deploy
python manage.py migrate --noinput
python manage.py collectstatic --noinput -v0
if [ "${SEED_DEMO:-0}" = 1 ]; then
  python manage.py seed_demo --records
fi
echo "serving: HTTP at http://$WEB_BIND/, websockets at ws://$WS_HOST:$WS_PORT/ws/ (Ctrl-C stops)"
# The environment is the one above: no .env file is read (--env /dev/null).
exec honcho start --procfile Procfile --env /dev/null
