/** What `/readyz` asks of the dependencies; main wires them to Redis and the Docker engine. */
export interface ReadinessChecks {
  /** Resolves when Redis answers, with its `maxmemory-policy` (`unknown` when CONFIG is disabled). */
  redis(): Promise<{ readonly maxmemoryPolicy: string }>;
  /** Resolves when the Docker engine answers a ping and can make leases as configured (its runtime known, the lease network there). */
  docker(): Promise<void>;
  /** Warm pools that cannot fill, one sentence each; absent without POOL. */
  pool?(): readonly string[];
}

export interface CheckResult {
  readonly ok: boolean;
  readonly error?: string;
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: { readonly redis: CheckResult; readonly docker: CheckResult; readonly pool?: CheckResult };
  readonly warnings: readonly string[];
}

/** A check that has not answered after this long counts as failed. @defaultValue 2000 */
export const READINESS_TIMEOUT_MS = 2_000;

/**
 * Runs both checks at once, each bounded in time. Only unreachable dependencies make it not ready:
 * a warm pool that cannot fill is reported (its check and a warning), while provisions still make
 * containers on demand.
 */
export async function checkReadiness(
  checks: ReadinessChecks,
  timeoutMs = READINESS_TIMEOUT_MS,
): Promise<ReadinessReport> {
  const [redis, docker] = await Promise.all([
    settle(checks.redis(), timeoutMs, 'Redis'),
    settle(checks.docker(), timeoutMs, 'Docker'),
  ]);
  const warnings: string[] = [];
  const policy = redis.value?.maxmemoryPolicy;
  if (policy !== undefined && policy !== 'noeviction') {
    warnings.push(
      `Redis maxmemory-policy is ${policy}, not noeviction: under memory pressure Redis may evict a lease and leak its container.`,
    );
  }
  const poolProblems = checks.pool?.();
  warnings.push(...(poolProblems ?? []));
  const pool = poolProblems && {
    ok: poolProblems.length === 0,
    ...(poolProblems.length > 0 ? { error: poolProblems.join(' ') } : {}),
  };
  return {
    ready: redis.result.ok && docker.result.ok,
    checks: { redis: redis.result, docker: docker.result, ...(pool ? { pool } : {}) },
    warnings,
  };
}

async function settle<T>(
  promise: Promise<T>,
  timeoutMs: number,
  name: string,
): Promise<{ result: CheckResult; value?: T }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const value = await Promise.race([promise, timeout]);
    return { result: { ok: true }, value };
  } catch (error) {
    return { result: { ok: false, error: error instanceof Error ? error.message : String(error) } };
  } finally {
    clearTimeout(timer);
  }
}
