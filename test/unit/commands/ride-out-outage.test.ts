import { loadConfig } from '../../../src/core/config';
import { ContractViolationError, SourceUnavailableError, TargetUnavailableError } from '../../../src/core/errors';
import { createLogger } from '../../../src/core/logger';
import { rideOutOutages, type OutageWaiting } from '../../../pipelines/commands/ride-out-outage';
import type { Services } from '../../../pipelines/services';

/**
 * Services whose databases answer a look as `answers` says, one value per look (the last one
 * repeats): what rideOutOutages decides from them, without a server.
 */
function servicesAnswering(answers: { marketplace: boolean[]; legacy: boolean[] }, env: Record<string, string> = {}) {
  const looks = { marketplace: 0, legacy: 0 };
  const answer = (service: 'marketplace' | 'legacy') => {
    const list = answers[service];
    const up = list[Math.min(looks[service]++, list.length - 1)];
    return up ? Promise.resolve('1') : Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1'));
  };
  const services = {
    config: loadConfig({
      MARKETPLACE_DATABASE_URL: 'postgres://ppm:secret@db.example:6432/marketplace',
      LEGACY_DATABASE_URL: 'mysql://root@legacy.example:3307/portal',
      ...env,
    }),
    logger: createLogger({ level: 'silent' }),
    target: { raw: () => answer('marketplace') },
    source: { watermark: () => answer('legacy') },
  } as unknown as Services;
  return { services, looks };
}

const options = { during: 'the verification', again: 'ppm verify w1', firstDelayMs: 1, maxDelayMs: 1 };

describe('rideOutOutages', () => {
  it('runs the work again once the database that went away answers, saying which one it waits for', async () => {
    const { services } = servicesAnswering({ marketplace: [false, false, true], legacy: [true] });
    const waiting: Array<OutageWaiting | undefined> = [];
    let attempts = 0;
    const result = await rideOutOutages(services, { ...options, onWaiting: (w) => waiting.push(w) }, async () => {
      attempts += 1;
      if (attempts === 1) throw new TargetUnavailableError('Connection terminated unexpectedly');
      return 'verified';
    });
    expect({ result, attempts }).toEqual({ result: 'verified', attempts: 2 });
    expect(waiting.filter(Boolean).map((w) => [w!.service, w!.name])).toEqual([
      ['marketplace', 'the marketplace database db.example:6432/marketplace'],
      ['marketplace', 'the marketplace database db.example:6432/marketplace'],
    ]);
    expect(waiting.at(-1)).toBeUndefined();
  });

  it('names the legacy database when it is the one that does not answer', async () => {
    const { services } = servicesAnswering({ marketplace: [true], legacy: [false] }, { OUTAGE_WAIT: '20ms' });
    const failing = rideOutOutages(services, options, async () => {
      throw new SourceUnavailableError(
        'legacy database (mariadb legacy.example:3307/portal) failed to read: ECONNRESET',
      );
    });
    await expect(failing).rejects.toBeInstanceOf(SourceUnavailableError);
    await expect(failing).rejects.toThrow(
      /^the legacy database \(mariadb legacy\.example:3307\/portal\) went away during the verification and did not answer again within OUTAGE_WAIT \(20 ms\): .*ECONNREFUSED.*; run `ppm verify w1` again once it is back/,
    );
  });

  it('stops past OUTAGE_WAIT naming the marketplace database, never its credentials', async () => {
    const { services } = servicesAnswering({ marketplace: [false], legacy: [true] }, { OUTAGE_WAIT: '20ms' });
    const error = await rideOutOutages(services, options, async () => {
      throw new Error('terminating connection due to administrator command');
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TargetUnavailableError);
    expect((error as Error).message).toMatch(
      /^the marketplace database db\.example:6432\/marketplace went away during the verification and did not answer again within OUTAGE_WAIT/,
    );
    expect((error as Error).message).not.toContain('secret');
  });

  it('leaves an error alone when both databases answer, or when a retry could not help', async () => {
    const { services, looks } = servicesAnswering({ marketplace: [true], legacy: [true] });
    let attempts = 0;
    const deadlock = new TargetUnavailableError('deadlock detected');
    await expect(
      rideOutOutages(services, options, async () => {
        attempts += 1;
        throw deadlock;
      }),
    ).rejects.toBe(deadlock);
    const contract = new ContractViolationError('a row that fails its schema');
    await expect(
      rideOutOutages(services, options, async () => {
        attempts += 1;
        throw contract;
      }),
    ).rejects.toBe(contract);
    expect(attempts).toBe(2);
    // The contract violation is not even looked into.
    expect(looks).toEqual({ marketplace: 1, legacy: 1 });
  });
});
