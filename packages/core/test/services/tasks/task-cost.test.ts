import { describe, expect, it } from 'vitest';
import { estimateTaskCost } from '../../../src/domain/generation/task-pricing';
import { isSettingsError } from '../../../src/errors';
import { DEFAULT_TASK_PRICING } from '../../../src/index';
import { acme, setup } from './tasks-setup';

describe('tasks.estimateCost', () => {
  it('prices runway_standard at $1.20 and 12 credits per 10 s (seed 002): 60 s → $7.20, 72 credits', async () => {
    const { vb } = setup();
    expect(
      (await vb.tasks.estimateCost({ engine: 'runway_standard', durationSec: 60 }))._unsafeUnwrap(),
    ).toEqual({
      engine: 'runway_standard',
      durationSec: 60,
      blocks: 6,
      blockSec: 10,
      costUsd: 7.2,
      credits: 72,
    });
  });

  it.each([
    [61, 7, 8.4, 84],
    [60.5, 7, 8.4, 84],
    [0.5, 1, 1.2, 12],
    [10, 1, 1.2, 12],
    [180, 18, 21.6, 216],
    [3600, 360, 432, 4320],
  ])(
    'bills a started block whole: %s s → %s blocks, $%s, %s credits',
    async (durationSec, blocks, costUsd, credits) => {
      const { vb } = setup();
      expect(
        (await vb.tasks.estimateCost({ engine: 'runway_standard', durationSec }))._unsafeUnwrap(),
      ).toMatchObject({ blocks, costUsd, credits });
    },
  );

  it('refuses an unknown engine with VALIDATION listing the priced ones', async () => {
    const { vb } = setup();
    const error = (
      await vb.tasks.estimateCost({ engine: 'runway_gen3', durationSec: 60 })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe('engine');
    expect(error.message).toBe('Unknown engine "runway_gen3": priced engines are runway_standard');
    expect(error.details).toMatchObject({ knownEngines: ['runway_standard'] });
  });

  it('does not mistake an Object.prototype name for an engine', async () => {
    const { vb } = setup();
    const error = (
      await vb.tasks.estimateCost({ engine: 'constructor', durationSec: 60 })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
  });

  it.each([
    ['durationSec', { engine: 'runway_standard', durationSec: 0 }],
    ['durationSec', { engine: 'runway_standard', durationSec: -10 }],
    ['durationSec', { engine: 'runway_standard', durationSec: Number.NaN }],
    ['durationSec', { engine: 'runway_standard' }],
    ['engine', { engine: '', durationSec: 10 }],
    ['', { engine: 'runway_standard', durationSec: 10, quality: 'hd' }],
  ])('refuses a bad request (VALIDATION at %s)', async (path, request) => {
    const { vb } = setup();
    const error = (await vb.tasks.estimateCost(request as never))._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe(path);
  });

  it('uses the table from the settings, which replaces the default one', async () => {
    const { vb } = setup({
      tasks: {
        pricing: {
          ...DEFAULT_TASK_PRICING,
          runway_gen3: { usdPerBlock: 0.5, creditsPerBlock: 50, blockSec: 5 },
        },
      },
    });
    expect(
      (await vb.tasks.estimateCost({ engine: 'runway_gen3', durationSec: 12 }))._unsafeUnwrap(),
    ).toMatchObject({ blocks: 3, blockSec: 5, costUsd: 1.5, credits: 150 });
    expect(
      (await vb.tasks.estimateCost({ engine: 'runway_standard', durationSec: 60 }))._unsafeUnwrap(),
    ).toMatchObject({ costUsd: 7.2 });
    const only = setup({ tasks: { pricing: { kling: { usdPerBlock: 1, creditsPerBlock: 1 } } } });
    const error = (
      await only.vb.tasks.estimateCost({ engine: 'runway_standard', durationSec: 60 })
    )._unsafeUnwrapErr();
    expect(error.message).toContain('priced engines are kling');
  });

  it('answers every call with a settings error for a bad table, instead of throwing', async () => {
    const { vb } = setup({
      tasks: { pricing: { broken: { usdPerBlock: -1, creditsPerBlock: 1 } } },
    });
    const error = (
      await vb.tasks.estimateCost({ engine: 'broken', durationSec: 10 })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe('pricing.broken.usdPerBlock');
    expect(isSettingsError(error)).toBe(true);
    expect(isSettingsError((await vb.tasks.list(acme))._unsafeUnwrapErr())).toBe(true);
    expect(isSettingsError((await vb.thumbnails.list(acme, 't'))._unsafeUnwrapErr())).toBe(true);
    const fractional = setup({
      tasks: { pricing: { x: { usdPerBlock: 1, creditsPerBlock: 1.5 } } },
    });
    expect(
      (await fractional.vb.tasks.estimateCost({ engine: 'x', durationSec: 1 }))._unsafeUnwrapErr()
        .path,
    ).toBe('pricing.x.creditsPerBlock');
  });
});

describe('estimateTaskCost', () => {
  // Floating-point division must not turn a whole number of blocks into one more.
  it('does not bill an extra block for a duration that is a float hair over a boundary', () => {
    const pricing = { e: { usdPerBlock: 0.1, creditsPerBlock: 1, blockSec: 0.1 } };
    expect(
      estimateTaskCost(pricing, { engine: 'e', durationSec: 0.3 })._unsafeUnwrap(),
    ).toMatchObject({ blocks: 3, costUsd: 0.3 });
  });
});
