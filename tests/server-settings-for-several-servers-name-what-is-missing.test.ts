/**
 * The settings of several servers are checked before anything starts: REDIS_URL without
 * DATABASE_URL or COMMONS_REMOTE, or a malformed address, is refused with a French message naming
 * the variable; without them the configuration is exactly the one-machine default.
 */
import { describe, expect, it } from 'vitest';
import { ProblemError } from '../core/problem.ts';
import { configFromEnvironment, defaultConfig, resolveConfig } from '../editor-server/src/config.ts';
import { exampleEnvironment } from './helpers/cluster.ts';

function problemsOf(env: Record<string, string>): { field: string; message: string }[] {
  try {
    resolveConfig(configFromEnvironment(env));
  } catch (error) {
    if (error instanceof ProblemError) return error.problems;
    throw error;
  }
  return [];
}

describe('settings for several servers', () => {
  it('name each variable REDIS_URL needs', () => {
    const problems = problemsOf({ REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(problems.map((p) => p.field).sort()).toEqual(['COMMONS_REMOTE', 'DATABASE_URL']);
    for (const problem of problems) expect(problem.message).toMatch(/obligatoire avec REDIS_URL/);
  });

  it('refuse malformed addresses, saying what is expected', () => {
    const problems = problemsOf({ DATABASE_URL: 'mysql://x', REDIS_URL: 'http://x' });
    expect(problems.find((p) => p.field === 'DATABASE_URL')?.message).toContain('postgres://');
    expect(problems.find((p) => p.field === 'REDIS_URL')?.message).toContain('redis://');
  });

  it('read the example of docs/deploiement.md into a cluster configuration', () => {
    const config = resolveConfig(configFromEnvironment({ ...exampleEnvironment(), INSTANCE_NAME: 'a' }));
    expect(config.cluster).toMatchObject({ instanceName: 'a', leaseMs: 5_000, leaseRenewMs: 1_000 });
    expect(config.databaseUrl).toMatch(/^postgres:\/\//);
    expect(config.metricsToken).toBeDefined();
  });

  it('leave one machine exactly as it was without them', () => {
    const config = resolveConfig(configFromEnvironment({}));
    expect(config.cluster).toBeUndefined();
    expect(config.databaseUrl).toBeUndefined();
    expect(config).toEqual(resolveConfig(defaultConfig));
  });
});
