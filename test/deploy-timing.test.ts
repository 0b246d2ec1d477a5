/** The deploy job's bounds: each wait covers its phase, the job timeout their sum, all within GitHub's 360 min. */
import { describe, expect, it } from 'vitest';
import {
  DEPLOY_BUDGET,
  GITHUB_MAX_JOB_MINUTES,
  deployTiming,
  roleSessionSeconds,
} from '../src/context/deploy-timing.js';
import { MAX_WAIT_WINDOWS_MINUTES, canaryVerdict } from '../src/model/timeline.js';

describe('deployTiming', () => {
  it('adds up the phases of a canary: provisioning + W + B + a rollback, then setup, the alarm gate, migration and margins', () => {
    const t = deployTiming({ strategy: 'canary', canaryMinutes: 10, rollbackWindowMinutes: 10, hasMigration: true });
    const b = DEPLOY_BUDGET;
    expect(t.deploymentMinutes).toBe(b.provisionMinutes + 10 + 10 + b.rollbackMinutes);
    expect(t.deploymentWaitMinutes).toBe(t.deploymentMinutes + b.marginMinutes);
    expect(t.jobTimeoutMinutes).toBe(
      b.setupMinutes + b.alarmGateMinutes + b.migrationMinutes + t.deploymentWaitMinutes + b.marginMinutes,
    );
    expect(t.actionWaitMinutes).toBe(b.migrationMinutes);
  });

  it('a rolling update waits for the circuit breaker and its rollback, not for W and B', () => {
    const rolling = deployTiming({
      strategy: 'rolling',
      canaryMinutes: 60,
      rollbackWindowMinutes: 60,
      hasMigration: false,
    });
    expect(rolling.deploymentMinutes).toBe(
      DEPLOY_BUDGET.provisionMinutes + DEPLOY_BUDGET.circuitBreakerMinutes + DEPLOY_BUDGET.rollbackMinutes,
    );
    expect(rolling.jobTimeoutMinutes).toBe(
      DEPLOY_BUDGET.setupMinutes +
        DEPLOY_BUDGET.alarmGateMinutes +
        rolling.deploymentWaitMinutes +
        DEPLOY_BUDGET.marginMinutes,
    );
  });

  it('the longest canary the options allow still fits a GitHub job, and the role session outlasts it', () => {
    expect(
      canaryVerdict({
        canaryPercent: 10,
        canaryMinutes: MAX_WAIT_WINDOWS_MINUTES - 10,
        rollbackWindowMinutes: 10,
        expectedRpm: 200,
      }).errors,
    ).toEqual([]);
    expect(
      canaryVerdict({
        canaryPercent: 10,
        canaryMinutes: MAX_WAIT_WINDOWS_MINUTES - 9,
        rollbackWindowMinutes: 10,
        expectedRpm: 200,
      }).errors,
    ).not.toEqual([]);
    const t = deployTiming({
      strategy: 'canary',
      canaryMinutes: MAX_WAIT_WINDOWS_MINUTES - 10,
      rollbackWindowMinutes: 10,
      hasMigration: true,
    });
    expect(t.jobTimeoutMinutes).toBeLessThanOrEqual(GITHUB_MAX_JOB_MINUTES);
    expect(roleSessionSeconds(t.jobTimeoutMinutes)).toBeGreaterThanOrEqual(t.jobTimeoutMinutes * 60);
    expect(roleSessionSeconds(t.jobTimeoutMinutes)).toBeLessThanOrEqual(12 * 3600);
    expect(roleSessionSeconds(30)).toBe(3600);
  });
});
