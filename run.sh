#!/usr/bin/env bash
# The whole suite on this machine, no Docker and nothing installed: builds the jars if needed,
# then starts MariaDB, Kafka and every service on the newest JDK from 25 on where there is one (bin/java);
# Ctrl-C stops everything.
# Settings: environment variables, see README ("Running it").
set -euo pipefail
cd "$(dirname "$0")"
if [ "${SKIP_BUILD:-}" != "1" ]; then
  ./mvnw -B -q -DskipTests package
fi
exec bin/java ${STACK_LAUNCHER_OPTS:--Xmx512m} -jar local-stack/target/local-stack-exec.jar
