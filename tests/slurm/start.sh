#!/usr/bin/env bash
# Starts a one-node Slurm cluster for the sweep tests, as root, without systemd: munged (as the munge user, with its
# own key and socket), slurmctld, slurmd. Every file lives in one state folder (the first argument, else a new temp
# folder); every daemon writes its PID file there, for stop.sh. Waits until the node is idle (fails after 60 s with the
# daemons' logs). Prints, as its only line on stdout, the path of the cluster's slurm.conf: export it as SLURM_CONF.
#
# Needs the Debian packages slurmctld slurmd slurm-client munge. Two partitions: 'low' (the default) and 'high', whose
# jobs preempt low ones: Slurm sends the low job its --signal (preempt_send_user_signal), then requeues it.
set -euo pipefail

fail() { echo "tests/slurm/start.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "must run as root (it starts munged as the munge user and the Slurm daemons as root)"
for tool in munged slurmctld slurmd sinfo scontrol; do
  command -v "$tool" >/dev/null || fail "$tool is missing: apt-get install --no-install-recommends slurmctld slurmd slurm-client munge"
done
id munge >/dev/null 2>&1 || fail "there is no munge user: the munge package creates it"

state=${1:-$(mktemp -d /tmp/nfm-slurm.XXXXXX)}
mkdir -p "$state"/{munge,spool,ctld,log,run}
state=$(cd "$state" && pwd)
chmod 755 "$state"
[ ! -e "$state/run/slurmctld.pid" ] || ! kill -0 "$(cat "$state/run/slurmctld.pid")" 2>/dev/null \
  || fail "$state already runs a cluster (slurmctld $(cat "$state/run/slurmctld.pid")); stop it with tests/slurm/stop.sh $state"

# munged refuses a key, socket or PID file in a folder that others may write to, and a socket others cannot reach:
# its folder belongs to munge, mode 755.
chown munge: "$state/munge"
chmod 755 "$state/munge"
key="$state/munge/munge.key"
if [ ! -s "$key" ]; then
  dd if=/dev/urandom of="$key" bs=1024 count=1 status=none
  chown munge: "$key"
  chmod 400 "$key"
fi
socket="$state/munge/munge.socket"
runuser -u munge -- munged --key-file="$key" --socket="$socket" --pid-file="$state/munge/munged.pid" \
  --log-file="$state/munge/munged.log" --seed-file="$state/munge/munged.seed" \
  || fail "munged did not start: $(tail -n 20 "$state/munge/munged.log" 2>/dev/null)"

host=$(hostname -s)
memory=$(slurmd -C | sed -nE 's/.*RealMemory=([0-9]+).*/\1/p')
[ -n "$memory" ] || fail "'slurmd -C' printed no RealMemory"
memory=$(( memory > 2048 ? memory - 1024 : memory ))

cat > "$state/slurm.conf" <<CONF
# Written by tests/slurm/start.sh: a one-node test cluster.
ClusterName=nfmtest
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/spool
SlurmctldPidFile=$state/run/slurmctld.pid
SlurmdPidFile=$state/run/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$state/log/jobcomp.txt
ReturnToService=2
MpiDefault=none
# Preemption: a job of the higher tier partition requeues a running job of the lower one; the low job first gets its
# --signal (B:USR1 for the sweep script), then GraceTime seconds to checkpoint and requeue itself before Slurm does.
PreemptType=preempt/partition_prio
PreemptMode=REQUEUE
SlurmctldParameters=preempt_send_user_signal
NodeName=$host CPUs=2 RealMemory=$memory State=UNKNOWN
PartitionName=low Nodes=$host Default=YES MaxTime=INFINITE State=UP PriorityTier=1 GraceTime=60
PartitionName=high Nodes=$host MaxTime=INFINITE State=UP PriorityTier=10
CONF
export SLURM_CONF="$state/slurm.conf"

slurmctld -f "$SLURM_CONF" -c || fail "slurmctld did not start: $(tail -n 20 "$state/log/slurmctld.log" 2>/dev/null)"
slurmd -f "$SLURM_CONF" || fail "slurmd did not start: $(tail -n 20 "$state/log/slurmd.log" 2>/dev/null)"

for _ in $(seq 1 60); do
  if sinfo -h -N -o %T 2>/dev/null | grep -qx idle; then
    echo "Slurm is up: node $host idle, partitions low and high; state in $state" >&2
    echo "$SLURM_CONF"
    exit 0
  fi
  sleep 1
done
{
  echo "tests/slurm/start.sh: the node did not become idle within 60 s"
  sinfo -N -l 2>&1 || true
  for log in munge/munged.log log/slurmctld.log log/slurmd.log; do
    echo "--- $state/$log"
    tail -n 30 "$state/$log" 2>/dev/null || true
  done
} >&2
exit 1
