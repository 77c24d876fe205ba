#!/usr/bin/env bash
# Runs the image as an operator would and checks it: serve on a named volume, /healthz and
# /readyz, an account and a token made through `podman exec`, a topic marked through the API, a
# backup through `podman exec`, a clean stop on SIGTERM. Everything it made is
# removed at the end.
#
#   packaging/try-image.sh [TAG]            # default leadmap:latest
#
# PODMAN_RUN_FLAGS adds run flags. On this project's development machines (a VM with hybrid
# cgroups and fixed limits) podman needs runc and explicit limits:
#   PODMAN="podman --runtime runc" \
#   PODMAN_RUN_FLAGS="--ulimit nofile=20000:20000 --ulimit nproc=1000:1000" packaging/try-image.sh
set -euo pipefail
tag=${1:-leadmap:latest}
podman=${PODMAN:-podman}
port=${PORT:-18181}
name="leadmap-try-$$"
vol="leadmap-try-$$"
cleanup() { $podman rm -f "$name" >/dev/null 2>&1 || true; $podman volume rm -f "$vol" >/dev/null 2>&1 || true; }
trap cleanup EXIT
# shellcheck disable=SC2086
$podman run -d --name "$name" --network=host ${PODMAN_RUN_FLAGS:-} -v "$vol:/data" "$tag" \
  serve --addr "127.0.0.1:$port" --log-format json >/dev/null
for _ in $(seq 1 50); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
test "$(curl -fsS "http://127.0.0.1:$port/healthz")" = ok
test "$(curl -fsS "http://127.0.0.1:$port/readyz")" = ready
printf '%s\n' "try the image $$ with a long passphrase" |
  $podman exec -i "$name" /leadmap user add try --password-stdin >/dev/null
token=$($podman exec "$name" /leadmap token create try)
marked=$(curl -fsS -X PUT -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"status":"done","note":"from the image test"}' \
  "http://127.0.0.1:$port/api/v1/me/progress/engineering-leadership/define-core-values")
case "$marked" in *'"done"'*) ;; *) echo "marking a topic answered: $marked" >&2; exit 1 ;; esac
$podman exec "$name" /leadmap backup /data/try-backup.db
$podman exec "$name" /leadmap --version
$podman stop -t 15 "$name" >/dev/null
$podman logs "$name" 2>&1 | grep -q '"message":"stopped"'
echo "the image serves, marks a topic, backs up and stops cleanly"
