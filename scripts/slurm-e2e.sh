#!/usr/bin/env bash
# End-to-end test of the README's Slurm recipe ("Large sweeps on a cluster",
# issue 10 item 9) on a real single-node Slurm cluster that this script starts
# itself on loopback and stops again:
#   1. installs slurm-wlm and munge with apt-get when missing (root only; a
#      non-root run without them is skipped with a message);
#   2. writes a private slurm.conf (one node on 127.0.0.1, proctrack/linuxproc,
#      task/none, no accounting, every state and log file in a temporary
#      directory) and a munge key, and starts munged, slurmctld and slurmd as
#      children of this script; the exit trap cancels the jobs and stops the
#      daemons by their process ids, so that nothing is left running;
#   3. runs the README's job array (`paper --shard i/N --resume --workers
#      "$SLURM_CPUS_PER_TASK"`) and its merge job (`--dependency=afterok:JOBID
#      --kill-on-invalid-dep=yes`), cancels one task while it runs, checks that
#      Slurm then cancels the merge job instead of leaving it pending for ever,
#      resubmits the index (it continues from its points with --resume) and the
#      merge after it, as the README says;
#   4. compares the merged directory byte for byte with an unsplit run.
# Any difference, failed job or timeout fails the script with the logs.
# Usage: scripts/slurm-e2e.sh (from anywhere; SLURM_E2E_PORT picks the first
# of the two TCP ports, default 6817; SLURM_E2E_KEEP=1 keeps the temporary
# directory).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=$PATH:/usr/sbin:/sbin
t0=$SECONDS
say() { echo "slurm-e2e [$((SECONDS - t0))s]: $*"; }

# A small paper configuration: 105 points in about 5 s of CPU in all, so that
# a shard runs long enough (a few seconds) to be cancelled in the middle.
shards=4
paper_opts=(--samples 2e6 --seed 42)

# --- 1. Slurm and munge ------------------------------------------------------
have_slurm() {
	local c
	for c in munged slurmctld slurmd sbatch squeue scontrol scancel sinfo; do
		command -v "$c" >/dev/null 2>&1 || return 1
	done
}
if ! have_slurm; then
	if [ "$(id -u)" -ne 0 ]; then
		say "SKIPPED: slurm-wlm and munge are not installed and installing them needs root"
		exit 0
	fi
	say "installing slurm-wlm and munge"
	# Debian's packages start their daemons on installation unless
	# policy-rc.d forbids it: forbid it for the install only, so that the
	# only daemons are the ones this script starts and stops.
	policy=
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		policy=/usr/sbin/policy-rc.d
		printf '#!/bin/sh\nexit 101\n' >"$policy"
		chmod 755 "$policy"
	fi
	installed=1
	{ apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			slurm-wlm munge >/dev/null; } || installed=
	[ -z "$policy" ] || rm -f "$policy"
	[ -n "$installed" ] || {
		echo "slurm-e2e: FAIL: apt-get could not install slurm-wlm and munge" >&2
		exit 1
	}
	have_slurm || {
		echo "slurm-e2e: FAIL: slurm-wlm and munge installed, but their commands are missing" >&2
		exit 1
	}
fi
say "$(slurmctld -V), $(munged --version 2>&1 | head -n 1)"

# --- 2. a private cluster ----------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/slurm-e2e.XXXXXX")
mkdir -p "$work"/{bin,log,munge,spool,state,results}
pids=() # daemons, in start order
unsplit='' # the unsplit reference run
jobs_submitted=()
failed=

dump_logs() {
	local f
	echo "==== scontrol show job" >&2
	scontrol show job 2>&1 | sed 's/^/    /' >&2 || true
	for f in "$work"/log/*; do
		[ -f "$f" ] || continue
		echo "==== $f (last 40 lines)" >&2
		tail -n 40 "$f" | sed 's/^/    /' >&2
	done
}
fail() {
	echo "slurm-e2e: FAIL after $((SECONDS - t0))s: $*" >&2
	failed=1
	dump_logs
	exit 1
}
cleanup() {
	local rc=$? p i
	trap - EXIT INT TERM
	# The unsplit run, the jobs (their slurmstepd and dendritic processes are
	# not our children), then the daemons in reverse order, each by its pid.
	if [ -n "$unsplit" ] && kill -TERM "$unsplit" 2>/dev/null; then
		wait "$unsplit" 2>/dev/null || true
	fi
	if [ ${#jobs_submitted[@]} -gt 0 ] && [ ${#pids[@]} -ge 2 ]; then
		scancel "${jobs_submitted[@]}" 2>/dev/null || true
		for i in $(seq 50); do
			[ -z "$(squeue -h -o %i 2>/dev/null)" ] && break
			sleep 0.2
		done
	fi
	for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
		p=${pids[i]}
		kill -TERM "$p" 2>/dev/null || continue
		for _ in $(seq 50); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	if [ -n "${SLURM_E2E_KEEP:-}" ] || [ -n "$failed" ]; then
		echo "slurm-e2e: kept $work" >&2
	else
		rm -rf "$work"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# dendritic, built once, and the unsplit reference, run outside Slurm with
# the default workers while the cluster starts (the shards use one worker
# each: workers never change the result).
go build -o "$work/bin/dendritic" ./cmd/dendritic
export PATH=$work/bin:$PATH
dendritic paper "${paper_opts[@]}" --out "$work/unsplit" \
	>"$work/log/unsplit.out" 2>&1 &
unsplit=$!
say "built dendritic; the unsplit run started"

user=$(id -un)
port=${SLURM_E2E_PORT:-6817}
export SLURM_CONF=$work/slurm.conf
cat >"$SLURM_CONF" <<EOF
ClusterName=dendritic-e2e
SlurmctldHost=localhost(127.0.0.1)
SlurmUser=$user
SlurmdUser=$user
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge/munge.socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SlurmdParameters=config_overrides
ReturnToService=2
KillWait=5
MinJobAge=600
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=e2e Nodes=localhost Default=YES MaxTime=10 State=UP
EOF

head -c 1024 /dev/urandom >"$work/munge/munge.key"
chmod 755 "$work/munge" # the socket must be reachable, the key is not
chmod 400 "$work/munge/munge.key"
munged --foreground --force --key-file="$work/munge/munge.key" \
	--socket="$work/munge/munge.socket" --pid-file="$work/munge/munged.pid" \
	--seed-file="$work/munge/munged.seed" >"$work/log/munged.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do
	[ -S "$work/munge/munge.socket" ] && break
	kill -0 "${pids[0]}" 2>/dev/null || fail "munged exited"
	sleep 0.1
done
[ -S "$work/munge/munge.socket" ] || fail "munged did not create its socket in 5 s"

slurmctld -D -f "$SLURM_CONF" >>"$work/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -N localhost -f "$SLURM_CONF" >>"$work/log/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
	state=$(sinfo -h -n localhost -o %T 2>/dev/null || true)
	[ "$state" = idle ] && break
	for p in "${pids[@]}"; do
		kill -0 "$p" 2>/dev/null || fail "a daemon exited during start-up"
	done
	sleep 0.2
done
[ "$state" = idle ] || fail "node localhost not idle 20 s after start (state: ${state:-none})"
say "cluster up: munged, slurmctld and slurmd (pids ${pids[*]}), node idle"

# --- 3. the README's recipe --------------------------------------------------

res=$work/results
cat >"$work/shards.sh" <<EOF
#!/bin/bash
#SBATCH --array=0-$((shards - 1))
#SBATCH --cpus-per-task=1
#SBATCH --output=$work/log/shard-%a-array%A.out
dendritic paper ${paper_opts[*]} --resume --workers "\$SLURM_CPUS_PER_TASK" \\
    --shard "\$SLURM_ARRAY_TASK_ID/$shards" --out "$res/shard-\$SLURM_ARRAY_TASK_ID"
EOF
merge_cmd="dendritic merge --out $res/paper $res/shard-*/points.jsonl"

submit() { # submit VAR SBATCH_ARGS...: sets VAR to the job id
	local var=$1 id
	shift
	id=$(sbatch --parsable "$@") || fail "sbatch $*"
	id=${id%%;*}
	jobs_submitted+=("$id")
	printf -v "$var" %s "$id"
}
job_state() { # job_state ID: the state of a job or array task
	scontrol show job -o "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -n 1
}
wait_state() { # wait_state ID SECONDS STATE...: waits until ID is in one of STATE...
	local id=$1 secs=$2 s want
	shift 2
	for _ in $(seq $((secs * 10))); do
		s=$(job_state "$id")
		for want in "$@"; do
			[ "$s" = "$want" ] && return 0
		done
		case $s in COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY | BOOT_FAIL | DEADLINE)
			fail "job $id ended $s, expected $*" ;;
		esac
		sleep 0.1
	done
	fail "job $id still ${s:-unknown} after ${secs}s, expected $*"
}

array='' merge0='' merge1='' again='' merge2='' # job ids, set by submit
submit array "$work/shards.sh"
submit merge1 --dependency="afterok:$array" --kill-on-invalid-dep=yes \
	--output="$work/log/merge1-job%j.out" --wrap "$merge_cmd"
# The old recipe's merge job, without --kill-on-invalid-dep, shows the trap.
submit merge0 --dependency="afterok:$array" \
	--output="$work/log/merge0-job%j.out" --wrap "$merge_cmd"
say "submitted the array $array (shards 0-$((shards - 1))) and the merge $merge1 (old recipe: $merge0)"

# Cancel task 1 once it has finished a few of its points, but not all.
victim=${array}_1
wait_state "$victim" 30 RUNNING
pts=$res/shard-1/points.jsonl
for i in $(seq 600); do # cheap checks: scontrol only every 20th time
	[ -f "$pts" ] && [ "$(wc -l <"$pts")" -ge 3 ] && break
	[ $((i % 20)) = 0 ] && [ "$(job_state "$victim")" != RUNNING ] && break
	sleep 0.05
done
scancel "$victim"
wait_state "$victim" 20 CANCELLED
# Its processes get SIGTERM (SIGKILL KillWait seconds later); wait until
# they are gone before resubmitting into the same directory.
for _ in $(seq 150); do
	[ -z "$(squeue -h -t R,CG -j "$victim" -o %i 2>/dev/null)" ] && break
	sleep 0.1
done
[ -z "$(squeue -h -t R,CG -j "$victim" -o %i 2>/dev/null)" ] ||
	fail "task $victim still running or completing 15 s after scancel"
# dendritic stops on Slurm's SIGTERM after saying how far the shard got.
line=$(grep -h "^shard 1/$shards: " "$work/log/shard-1-array$array.out") ||
	fail "the cancelled task did not report its finished points"
kept=$(echo "$line" | awk '{print $3}')
mine=$(echo "$line" | awk '{print $6}')
[ "$kept" -eq $(($(wc -l <"$pts") - 1)) ] ||
	fail "the cancelled task reported $kept points, but its points file holds $(($(wc -l <"$pts") - 1))"
{ [ "$kept" -ge 1 ] && [ "$kept" -lt "$mine" ]; } ||
	fail "task $victim had $kept of its $mine points when cancelled: it should have been in the middle"
say "cancelled $victim with $kept of its $mine points finished"

# Resubmit the index (it continues from its points) and the merge after it.
submit again --array=1 "$work/shards.sh"
submit merge2 --dependency="afterany:$array,afterok:$again" --kill-on-invalid-dep=yes \
	--output="$work/log/merge2-job%j.out" --wrap "$merge_cmd"
say "resubmitted shard 1 as $again and the merge as $merge2"

# The trap of the old recipe: the first merge job (afterok on the whole
# array) can never run now, and without --kill-on-invalid-dep=yes it would
# stay pending for ever; with it, Slurm cancels it once the array has ended.
for _ in $(seq 300); do
	s=$(job_state "$merge1")
	[ "$s" = PENDING ] || break
	sleep 0.1
done
[ "$s" = CANCELLED ] || fail "merge job $merge1 is ${s:-unknown}, not CANCELLED, after its dependency failed"
reason=$(scontrol show job -o "$merge0" | sed -n 's/.*Reason=\([A-Za-z]*\).*/\1/p')
{ [ "$(job_state "$merge0")" = PENDING ] && [ "$reason" = DependencyNeverSatisfied ]; } ||
	fail "the old recipe's merge job $merge0 is $(job_state "$merge0") ($reason), not pending for ever"
scancel "$merge0"
say "Slurm cancelled the merge job $merge1; without --kill-on-invalid-dep, $merge0 was left PENDING ($reason)"
wait_state "$merge2" 60 COMPLETED
for i in $(seq 0 $((shards - 1))); do
	id=${array}_$i
	[ "$i" = 1 ] && id=${again}_1
	[ "$(job_state "$id")" = COMPLETED ] || fail "task $id is $(job_state "$id")"
done
grep -q "$kept finished points reused" "$work/log/shard-1-array$again.out" ||
	fail "the resubmitted shard 1 did not reuse its $kept points"
say "merge job $merge2 completed; the resubmitted shard reused its $kept points"

# --- 4. byte for byte --------------------------------------------------------
wait "$unsplit" || fail "the unsplit run failed (exit $?)"
unsplit=''

want=$(cd "$work/unsplit" && find . -type f | LC_ALL=C sort)
got=$(cd "$res/paper" && find . -type f | LC_ALL=C sort)
[ "$want" = "$got" ] || fail "the merged directory's files differ from the unsplit run's:
$(diff <(echo "$want") <(echo "$got") || true)"
n=0
while read -r f; do
	cmp "$work/unsplit/$f" "$res/paper/$f" >&2 || fail "$f differs from the unsplit run's"
	n=$((n + 1))
done <<<"$want"
say "PASS: the $n files of the merged report are byte-identical to the unsplit run's"
