# Rollback drill: start the drill revision and expect ECS to roll it back (rendered into
# .github/workflows/rollback-drill.yml; src/context/workflow-shell.ts). Polls the service deployment
# like deploy.yml's wait step and measures: detection = deployment start -> rollback start,
# rollback = rollback start -> finished. Env: CLUSTER, SERVICE, DRILL_TASKDEF, DEADLINE_MINUTES,
# POLL_SECONDS; writes detection/rollback/total seconds and status to GITHUB_OUTPUT.
set -euo pipefail
started="$(date +%s)"
aws ecs update-service --cluster "${CLUSTER}" --service "${SERVICE}" --task-definition "${DRILL_TASKDEF}" \
  --query 'service.serviceName' --output text
deadline=$(( SECONDS + 60 * DEADLINE_MINUTES ))
arn=""
while [[ -z "${arn}" || "${arn}" == "None" ]]; do
  if (( SECONDS > deadline )); then
    echo "::error::no service deployment of ${SERVICE} appeared"
    exit 1
  fi
  sleep "${POLL_SECONDS}"
  arn="$(aws ecs list-service-deployments --cluster "${CLUSTER}" --service "${SERVICE}" \
    --created-at "after=${started}" \
    --query 'sort_by(serviceDeployments, &createdAt)[-1].serviceDeploymentArn' --output text)"
done
echo "service deployment: ${arn}"
# Timestamps: epoch seconds from the v1 CLI (as the API sends them), ISO 8601 from v2.
seconds() {
  if [[ "$1" =~ ^[0-9]+(\.[0-9]+)?$ ]]; then echo "${1%%.*}"; else date -d "$1" +%s; fi
}
while true; do
  out="$(aws ecs describe-service-deployments --service-deployment-arns "${arn}" \
    --query 'serviceDeployments[0].[status, startedAt, rollback.startedAt, finishedAt]' --output text)"
  read -r status begun rolled finished <<< "${out}"
  echo "status=${status}"
  echo "status=${status}" >> "${GITHUB_OUTPUT}"
  case "${status}" in
    ROLLBACK_SUCCESSFUL)
      detection=$(( $(seconds "${rolled}") - $(seconds "${begun}") ))
      rollback=$(( $(seconds "${finished}") - $(seconds "${rolled}") ))
      total=$(( $(date +%s) - started ))
      {
        echo "detection=${detection}"
        echo "rollback=${rollback}"
        echo "total=${total}"
      } >> "${GITHUB_OUTPUT}"
      echo "rolled back: detection ${detection} s, rollback ${rollback} s, ${total} s in all (predicted at most $(( 60 * DEADLINE_MINUTES )) s)"
      exit 0
      ;;
    SUCCESSFUL)
      echo "::error::the failing drill revision was deployed and nothing rolled it back: does the app answer 503 on DRILL_FAIL_PATH, and is the smoke test wired? Redeploy main now."
      exit 1
      ;;
    ROLLBACK_FAILED|STOP*)
      echo "::error::service deployment ended in ${status}, not ROLLBACK_SUCCESSFUL: ${arn}"
      exit 1
      ;;
    *)
      ;;
  esac
  if (( SECONDS > deadline )); then
    echo "::error::no rollback within the predicted ${DEADLINE_MINUTES} min (still ${status}): ${arn}"
    exit 1
  fi
  sleep "${POLL_SECONDS}"
done
