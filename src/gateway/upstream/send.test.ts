import { Pool } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { GatehouseError } from '../../core/index.js';
import { afterFailure } from './send.js';
import { TargetHealth, type RestTarget } from './targets.js';

const pool = new Pool('http://127.0.0.1:9');
const target = (): RestTarget => ({ pool, basePath: '', health: new TargetHealth(), clientCertificate: false, host: '127.0.0.1', port: 80 });

afterAll(() => pool.close());

describe('afterFailure', () => {
  it('counts unreachable targets against their health and lets the call move on while attempts remain', () => {
    const t = target();
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(afterFailure(t, refused, 1, 2)).toBeNull();
    expect(afterFailure(t, refused, 2, 2)?.code).toBe('GATEHOUSE_UPSTREAM_UNREACHABLE');
    afterFailure(t, refused, 1, 1);
    expect(t.health.isUp(Date.now())).toBe(false);
  });

  it('answers with the gateway’s own refusal (a body cut off at its limit) and never blames the target', () => {
    const t = target();
    for (let i = 0; i < 5; i++) expect(afterFailure(t, new GatehouseError('GATEHOUSE_BODY_TOO_LARGE'), 1, 3)?.code).toBe('GATEHOUSE_BODY_TOO_LARGE');
    expect(t.health.isUp(Date.now())).toBe(true);
  });
});
