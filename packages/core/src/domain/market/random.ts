/** A source of uniform numbers in [0, 1), like `Math.random`. */
export type RandomSource = () => number;

/** What a seeded generator is started from; a number seeds the same stream as its decimal string. */
export type RandomSeed = number | string;

// Outputs discarded after seeding, so that similar seeds ("1", "2") have diverged by the first draw.
const WARM_UP_DRAWS = 15;

/**
 * A deterministic generator for sampling that tests and replays can repeat (sfc32, seeded
 * through the cyrb128 string hash). It is fast and statistically sound, not cryptographic.
 */
export function createSeededRandom(seed: RandomSeed): RandomSource {
  const [first, second, third, fourth] = cyrb128(String(seed));
  const next = sfc32(first, second, third, fourth);
  for (let draw = 0; draw < WARM_UP_DRAWS; draw += 1) next();
  return next;
}

/**
 * One draw from the standard normal distribution (Marsaglia's polar method). The second
 * value of each pair is dropped so that the function keeps no state between calls.
 */
export function sampleStandardNormal(random: RandomSource): number {
  for (;;) {
    const horizontal = 2 * random() - 1;
    const vertical = 2 * random() - 1;
    const squaredRadius = horizontal * horizontal + vertical * vertical;
    // Outside the unit disc (or at its centre) the polar transform is undefined: draw again.
    if (squaredRadius > 0 && squaredRadius < 1) {
      return horizontal * Math.sqrt((-2 * Math.log(squaredRadius)) / squaredRadius);
    }
  }
}

function sfc32(a: number, b: number, c: number, d: number): RandomSource {
  let stateA = a | 0;
  let stateB = b | 0;
  let stateC = c | 0;
  let counter = d | 0;
  return () => {
    const output = (((stateA + stateB) | 0) + counter) | 0;
    counter = (counter + 1) | 0;
    stateA = stateB ^ (stateB >>> 9);
    stateB = (stateC + (stateC << 3)) | 0;
    stateC = (stateC << 21) | (stateC >>> 11);
    stateC = (stateC + output) | 0;
    return (output >>> 0) / 4_294_967_296;
  };
}

function cyrb128(text: string): [number, number, number, number] {
  let hash1 = 1_779_033_703;
  let hash2 = 3_144_134_277;
  let hash3 = 1_013_904_242;
  let hash4 = 2_773_480_762;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    hash1 = hash2 ^ Math.imul(hash1 ^ code, 597_399_067);
    hash2 = hash3 ^ Math.imul(hash2 ^ code, 2_869_860_233);
    hash3 = hash4 ^ Math.imul(hash3 ^ code, 951_274_213);
    hash4 = hash1 ^ Math.imul(hash4 ^ code, 2_716_044_179);
  }
  hash1 = Math.imul(hash3 ^ (hash1 >>> 18), 597_399_067);
  hash2 = Math.imul(hash4 ^ (hash2 >>> 22), 2_869_860_233);
  hash3 = Math.imul(hash1 ^ (hash3 >>> 17), 951_274_213);
  hash4 = Math.imul(hash2 ^ (hash4 >>> 19), 2_716_044_179);
  hash1 ^= hash2 ^ hash3 ^ hash4;
  hash2 ^= hash1;
  hash3 ^= hash1;
  hash4 ^= hash1;
  return [hash1 >>> 0, hash2 >>> 0, hash3 >>> 0, hash4 >>> 0];
}
