#!/usr/bin/env bash
# Stops the cluster that tests/slurm/start.sh started, by the PID files in its state folder: the folder is the first
# argument, else the folder of $SLURM_CONF. Cancels the cluster's jobs, stops slurmd, then slurmctld, then munged; waits
# for each to end (kills it after 15 s). Removes the state folder with --clean.
set -uo pipefail

clean=false
if [ "${1:-}" = --clean ]; then clean=true; shift; fi
state=${1:-${SLURM_CONF:+$(dirname "$SLURM_CONF")}}
[ -n "$state" ] && [ -d "$state" ] || { echo "tests/slurm/stop.sh: give the state folder (or set SLURM_CONF)" >&2; exit 1; }

stop() {
  local file=$1 pid
  [ -s "$file" ] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "tests/slurm/stop.sh: $file's process $pid did not end on SIGTERM; killing it" >&2
      kill -KILL "$pid" 2>/dev/null
    fi
  fi
  rm -f "$file"
}

# Jobs first: their slurmstepd processes would outlive slurmd.
if [ -s "$state/run/slurmctld.pid" ] && kill -0 "$(cat "$state/run/slurmctld.pid")" 2>/dev/null; then
  export SLURM_CONF="$state/slurm.conf"
  jobs=$(squeue --noheader --format=%A 2>/dev/null | sort -u)
  if [ -n "$jobs" ]; then
    # shellcheck disable=SC2086 # one job id per word
    scancel $jobs 2>/dev/null
    for _ in $(seq 1 150); do [ -z "$(squeue --noheader 2>/dev/null)" ] && break; sleep 0.1; done
  fi
fi

stop "$state/run/slurmd.pid"
stop "$state/run/slurmctld.pid"
stop "$state/munge/munged.pid"
if $clean; then rm -rf "$state"; fi
exit 0
