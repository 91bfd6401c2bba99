#!/usr/bin/env bash
# Starts the bare gateway (Spring Cloud Gateway, one route to catalog, nothing else) on
# 127.0.0.1:${PORT:-8188} and prints its PID (./stop.sh stops it). Builds the jar under
# /tmp/bench-bare-gateway when it is missing or older than its sources (offline: the shop's build
# has already fetched every dependency). CATALOG= points it elsewhere than http://127.0.0.1:8081.
set -euo pipefail
cd "$(dirname "$0")"
JAVA_HOME=${BENCH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
RUN_DIR=/tmp/bench-bare-gateway
PID_FILE=$RUN_DIR/app.pid
LOG=$RUN_DIR/app.log
PORT=${PORT:-8188}
URL=http://127.0.0.1:$PORT/api/categories
die() { echo "bare-gateway/run.sh: $*" >&2; exit 1; }

mkdir -p "$RUN_DIR"
if [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
  echo "bare-gateway already running" >&2
  cat "$PID_FILE"
  exit 0
fi
BUILD=$RUN_DIR/build
JAR=$BUILD/target/bare-gateway.jar
if [ ! -f "$JAR" ] || [ -n "$(find src pom.xml -newer "$JAR" -print -quit)" ]; then
  echo "building $JAR" >&2
  rm -rf "$BUILD" && mkdir -p "$BUILD" && cp -r pom.xml src "$BUILD"/
  (cd "$BUILD" && mvn -B -q -o -DskipTests package || mvn -B -q -DskipTests package) >&2
fi
# the same heap as the shop's gateway
PORT=$PORT nohup "$JAVA_HOME/bin/java" -Xmx384m -jar "$JAR" > "$LOG" 2>&1 &
pid=$!
echo "$pid" > "$PID_FILE"
for _ in $(seq 1 120); do
  if curl -fsS -o /dev/null "$URL" 2>/dev/null; then
    echo "bare-gateway up on http://127.0.0.1:$PORT (log: $LOG); PID:" >&2
    echo "$pid"
    exit 0
  fi
  kill -0 "$pid" 2>/dev/null || { tail -n 40 "$LOG" >&2; rm -f "$PID_FILE"; die "the app exited during start"; }
  sleep 0.5
done
tail -n 40 "$LOG" >&2
die "no answer from $URL after 60 s (PID $pid still running; ./stop.sh stops it)"
