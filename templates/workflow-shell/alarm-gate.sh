# Pre-deploy alarm gate (rendered into the deploy jobs' "Alarm gate" step; src/context/workflow-shell.ts).
# An alarm already in ALARM cannot roll the deployment back on ECS (ECS does not watch alarms that are
# firing when it starts) and stops a CodeDeploy deployment at once: name the firing alarms, wait
# (bounded) for them to clear, or fail. Env: ALARM_NAMES (space-separated), GATE_WAIT_SECONDS,
# GATE_POLL_SECONDS, OVERRIDE ("true" skips the gate).
set -euo pipefail
if [[ "${OVERRIDE}" == "true" ]]; then
  echo "::warning::alarm gate skipped (skip-alarm-gate): an alarm that is already in ALARM will not roll this deployment back"
  exit 0
fi
read -r -a names <<< "${ALARM_NAMES}"
if (( ${#names[@]} == 0 )); then
  echo "::error::GitHub variable DEPLOYMENT_ALARM_NAMES is not set for this environment (Terraform output github_environment_variables)"
  exit 1
fi
deadline=$(( SECONDS + GATE_WAIT_SECONDS ))
while true; do
  states="$(aws cloudwatch describe-alarms --alarm-names "${names[@]}" --alarm-types MetricAlarm \
    --query 'MetricAlarms[].[AlarmName, StateValue]' --output text)"
  firing="$(awk '$2 == "ALARM" { printf "%s ", $1 }' <<< "${states}")"
  missing=""
  for name in "${names[@]}"; do
    awk -v n="${name}" '$1 == n { found = 1 } END { exit !found }' <<< "${states}" || missing+="${name} "
  done
  if [[ -n "${missing}" ]]; then
    echo "::error::deployment alarm(s) not found: ${missing}(apply Terraform, then update DEPLOYMENT_ALARM_NAMES from its output)"
    exit 1
  fi
  if [[ -z "${firing}" ]]; then
    echo "alarm gate: none of the ${#names[@]} deployment alarms is in ALARM"
    exit 0
  fi
  if (( SECONDS >= deadline )); then
    echo "::error::deployment alarm(s) in ALARM: ${firing}- still firing after $(( GATE_WAIT_SECONDS / 60 )) min; they would not roll a deployment back now. Fix the cause, or in an emergency run this workflow by hand (workflow_dispatch) with skip-alarm-gate."
    exit 1
  fi
  echo "alarm gate: waiting for ${firing}to leave ALARM"
  sleep "${GATE_POLL_SECONDS}"
done
