import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../../src/domain/market/random';
import {
  rankArmsByThompson,
  type ThompsonArm,
  thompsonSample,
} from '../../../src/domain/market/thompson';

const BETTER: ThompsonArm = { id: 'hook-question', evidence: [{ alpha: 21, beta: 81, weight: 1 }] };
const WORSE: ThompsonArm = { id: 'hook-statement', evidence: [{ alpha: 6, beta: 96, weight: 1 }] };

function shareOfWins(arms: readonly ThompsonArm[], armId: string, runs: number, seed: string) {
  const random = createSeededRandom(seed);
  let wins = 0;
  for (let run = 0; run < runs; run += 1) {
    if (thompsonSample(arms, random)._unsafeUnwrap().armId === armId) wins += 1;
  }
  return wins / runs;
}

describe('thompsonSample', () => {
  it('picks the clearly better arm in the large majority of 1000 runs', () => {
    expect(shareOfWins([WORSE, BETTER], BETTER.id, 1000, 'clear')).toBeGreaterThan(0.95);
  });

  it('picks each arm with the probability that it is the best', () => {
    // P(X > Y) for X ~ Beta(3, 7), Y ~ Beta(2, 8) is 0.7118 (numerical integration in SciPy);
    // a greedy pick of the higher mean would choose the first arm every time.
    const arms: ThompsonArm[] = [
      { id: 'first', evidence: [{ alpha: 3, beta: 7, weight: 1 }] },
      { id: 'second', evidence: [{ alpha: 2, beta: 8, weight: 1 }] },
    ];
    const share = shareOfWins(arms, 'first', 5000, 'matching');
    expect(share).toBeGreaterThan(0.69);
    expect(share).toBeLessThan(0.735);
  });

  it('reports every draw and picks the highest', () => {
    const choice = thompsonSample([BETTER, WORSE], createSeededRandom(5))._unsafeUnwrap();
    expect(Object.keys(choice.draws).sort()).toEqual([BETTER.id, WORSE.id].sort());
    const highest = Math.max(...Object.values(choice.draws));
    expect(choice.draws[choice.armId]).toBe(highest);
  });

  it('is deterministic for a seed', () => {
    const first = thompsonSample([BETTER, WORSE], createSeededRandom('replay'))._unsafeUnwrap();
    const second = thompsonSample([BETTER, WORSE], createSeededRandom('replay'))._unsafeUnwrap();
    const other = thompsonSample([BETTER, WORSE], createSeededRandom('other'))._unsafeUnwrap();
    expect(second).toEqual(first);
    expect(other.draws[BETTER.id]).not.toBe(first.draws[BETTER.id]);
  });

  it('draws from the weighted posterior: weight narrows the draws, never scales them', () => {
    const random = createSeededRandom('weights');
    const drawsAt = (weight: number) =>
      Array.from({ length: 4000 }, () => {
        const arms = [{ id: 'benchmark', evidence: [{ alpha: 6, beta: 96, weight }] }];
        return thompsonSample(arms, random)._unsafeUnwrap().draws.benchmark as number;
      });
    const stats = (values: number[]) => {
      const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
      const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
      return { mean, variance, max: Math.max(...values) };
    };
    const once = stats(drawsAt(1));
    const twice = stats(drawsAt(2));
    // Beta(6, 96) against Beta(11, 191): the same rate near 0.055, about half the variance.
    expect(once.mean).toBeCloseTo(6 / 102, 2);
    expect(twice.mean).toBeCloseTo(11 / 202, 2);
    expect(twice.variance / once.variance).toBeGreaterThan(0.42);
    expect(twice.variance / once.variance).toBeLessThan(0.6);
    expect(twice.max).toBeLessThan(1);
  });

  it('draws from the weighted combination of all sources of an arm', () => {
    const benchmarkHigh = { alpha: 31, beta: 71, weight: 2 };
    const clientLow = { alpha: 3, beta: 30, weight: 1 };
    const ranked = rankArmsByThompson(
      [{ id: 'mixed', evidence: [benchmarkHigh, clientLow] }],
      createSeededRandom(1),
    )._unsafeUnwrap();
    expect(ranked[0]?.posterior).toEqual({ alpha: 1 + 60 + 2, beta: 1 + 140 + 29 });
  });

  it('uses Beta(1, 1) for an arm without evidence', () => {
    const ranked = rankArmsByThompson(
      [{ id: 'new', evidence: [] }],
      createSeededRandom(1),
    )._unsafeUnwrap();
    expect(ranked[0]?.posterior).toEqual({ alpha: 1, beta: 1 });
  });

  it.each([
    ['arms', []],
    ['arms.1.id', [BETTER, { ...WORSE, id: BETTER.id }]],
    ['arms.0.id', [{ ...BETTER, id: '' }]],
    [
      'arms.1.evidence.0.alpha',
      [BETTER, { id: 'bad', evidence: [{ alpha: -1, beta: 2, weight: 1 }] }],
    ],
    [
      'arms.0.evidence.0.weight',
      [{ id: 'bad', evidence: [{ alpha: 1, beta: 2, weight: Number.NaN }] }],
    ],
  ])('rejects bad arms naming %s', (path, arms) => {
    const error = thompsonSample(arms, createSeededRandom(1))._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe(path);
  });

  it('consumes no randomness when it rejects the input', () => {
    const used = createSeededRandom('untouched');
    expect(thompsonSample([BETTER, { ...WORSE, id: BETTER.id }], used).isErr()).toBe(true);
    expect(used()).toBe(createSeededRandom('untouched')());
  });
});

describe('rankArmsByThompson', () => {
  const arms: ThompsonArm[] = [
    WORSE,
    BETTER,
    { id: 'hook-story', evidence: [{ alpha: 12, beta: 90, weight: 1 }] },
  ];

  it('orders every arm by its draw, highest first', () => {
    const ranked = rankArmsByThompson(arms, createSeededRandom('rank'))._unsafeUnwrap();
    expect(ranked.map((arm) => arm.armId).sort()).toEqual(arms.map((arm) => arm.id).sort());
    for (let index = 1; index < ranked.length; index += 1) {
      expect(ranked[index - 1]!.draw).toBeGreaterThanOrEqual(ranked[index]!.draw);
    }
  });

  it('puts first what thompsonSample picks from the same random state', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const ranked = rankArmsByThompson(arms, createSeededRandom(seed))._unsafeUnwrap();
      const choice = thompsonSample(arms, createSeededRandom(seed))._unsafeUnwrap();
      expect(ranked[0]?.armId).toBe(choice.armId);
      expect(ranked[0]?.draw).toBe(choice.draws[choice.armId]);
    }
  });

  it('rejects an empty list', () => {
    expect(rankArmsByThompson([], createSeededRandom(1))._unsafeUnwrapErr().path).toBe('arms');
  });
});
