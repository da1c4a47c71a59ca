# syntax=docker/dockerfile:1
#
# One image definition for every deployable module; the module is a build argument:
#   docker build --build-arg SERVICE=queue-service --build-arg SERVER_PORT=8081 \
#                --build-arg MANAGEMENT_PORT=9081 -t ticketing/queue-service .
# docker-compose.yml passes these per service. BuildKit is required (cache mount, heredoc).

# The whole reactor is the build context: Maven reads every module listed in the root pom even
# when building one, so the context cannot be narrowed to the module and its dependencies.
# Built on the JDK the image runs (25); the bytecode is Java 17 (java.version in the root pom), as everywhere.
#
# One build of the reactor for all five images: this stage takes no build argument, so the five builds of
# `docker compose up --build` are the same stage to BuildKit, which runs it once and shares it; each image then
# takes its own module's jar (stage "jar"). The cache mount keeps Maven's repository and the wrapper's Maven
# distribution between builds (sharing=locked: Maven's local repository is not safe for concurrent writers).
# -am also builds test-support (a test dependency of the services); -DskipTests still compiles tests.
FROM eclipse-temurin:25-jdk-noble AS build
WORKDIR /workspace
COPY . .
RUN --mount=type=cache,target=/root/.m2,sharing=locked \
    ./mvnw -B -ntp -pl gateway,queue-service,concert-service,reservation-service,payment-service -am package -DskipTests

# The module named by SERVICE, as layers ordered from least to most often changed, so a code change rebuilds
# only the last one. Without --launcher: app.jar with a manifest class path of plain jars in lib/, which is what
# the JVM's AOT cache can hold (it caches classes of the class path, not those Boot's launcher loads from nested jars).
FROM eclipse-temurin:25-jdk-noble AS jar
ARG SERVICE
WORKDIR /workspace
RUN --mount=type=bind,from=build,source=/workspace,target=/reactor \
    test -n "${SERVICE}" || { echo "Build with --build-arg SERVICE=<module>" >&2; exit 1; }; \
    cp "/reactor/${SERVICE}/target/${SERVICE}.jar" /workspace/app.jar \
 && java -Djarmode=tools -jar /workspace/app.jar extract --layers --destination /workspace/extracted


# Ubuntu-based JRE (not -alpine): the health probe below needs bash, which the Alpine image lacks.
# Java 25: faster start with the AOT cache below, and ES256 three to four times cheaper than on 17 (docs/performance.md).
FROM eclipse-temurin:25-jre-noble AS runtime
ARG SERVICE
ARG SERVER_PORT=8080
ARG MANAGEMENT_PORT=9080
LABEL org.opencontainers.image.title="${SERVICE}"

# A numeric uid so that Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app

# Readiness probe for compose health checks. The JRE image is not guaranteed to ship curl or wget,
# and a second JVM per probe would count against the container's memory limit, so it is bash's
# /dev/tcp: one HTTP/1.1 request, healthy only on a 200 status line (actuator answers 503 when DOWN).
# Usage: http-probe http://HOST:PORT/PATH
COPY --chmod=0555 <<'EOF' /usr/local/bin/http-probe
#!/bin/bash
set -eu
url=${1#http://}
authority=${url%%/*}
case $url in */*) path=/${url#*/} ;; *) path=/ ;; esac
host=${authority%:*}
port=${authority##*:}
exec 3<>"/dev/tcp/${host}/${port}"
printf 'GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$path" "$authority" >&3
IFS=' ' read -r -t "${PROBE_TIMEOUT_SECONDS:-3}" _ status _ <&3
[ "${status%$'\r'}" = 200 ]
EOF

WORKDIR /app
COPY --from=jar /workspace/extracted/dependencies/ ./
COPY --from=jar /workspace/extracted/spring-boot-loader/ ./
COPY --from=jar /workspace/extracted/snapshot-dependencies/ ./
COPY --from=jar /workspace/extracted/application/ ./

# Heap sized from the container's memory limit, not the host's: 60% leaves the rest for metaspace,
# thread stacks, the code cache and Netty's direct buffers. On OutOfMemoryError exit, so the restart
# policy or the kubelet replaces the process instead of leaving a half-working JVM. Serial GC, as the
# local stack runs (docs/performance.md, "JVM flags"), and fixed so that the AOT cache below is made and
# used with the same collector whatever CPUs the build host and the pod have. Override per deployment
# (a cache made with other flags is ignored by the JVM with a warning, not misused). The C heap's free memory
# goes back to the system every 5 s, which glibc otherwise keeps: 22-37 MB less per service at rest
# (docs/performance.md, "Memory at rest").
ENV JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -XX:MaxRAMPercentage=60 -XX:InitialRAMPercentage=25 -XX:+ExitOnOutOfMemoryError -XX:TrimNativeHeapInterval=5000"

# The AOT cache (JEP 483/514): the classes the service loads and links while its context starts, made
# by a training run at build time. A docker build has no database, broker or other services, so this run
# stops once the context is refreshed (spring.context.exit=onRefresh: nothing listens or connects), with
# Flyway off and Hibernate told the database instead of asking it. The local stack trains on a real load
# instead, which adds method profiles (docs/operations.md, "Java 25 and the AOT cache").
# The committed development token key is allowed in this run only (queue-service and the gateway refuse to start
# without a key otherwise): it signs nothing, and the image keeps no setting of it.
RUN java -XX:AOTCacheOutput=app.aot -Xlog:aot=off -Dspring.context.exit=onRefresh -jar app.jar \
      --spring.flyway.enabled=false \
      --ticketing.token.development-key-allowed=true \
      --spring.jpa.properties.hibernate.boot.allow_jdbc_metadata_access=false \
      --spring.jpa.properties.jakarta.persistence.database-product-name=MySQL \
      --spring.jpa.properties.jakarta.persistence.database-product-version=8.4 \
 && test -s app.aot

USER 10001:10001
EXPOSE ${SERVER_PORT} ${MANAGEMENT_PORT}

# java is PID 1 and receives SIGTERM itself: Spring's graceful shutdown runs on docker stop.
ENTRYPOINT ["java", "-XX:AOTCache=app.aot", "-jar", "app.jar"]
