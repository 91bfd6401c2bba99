#!/usr/bin/env bash
# Stops the bare gateway that run.sh started.
PID_FILE=/tmp/bench-bare-gateway/app.pid
[ -f "$PID_FILE" ] || exit 0
pid=$(cat "$PID_FILE")
kill "$pid" 2>/dev/null && for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
kill -9 "$pid" 2>/dev/null || true
rm -f "$PID_FILE"
