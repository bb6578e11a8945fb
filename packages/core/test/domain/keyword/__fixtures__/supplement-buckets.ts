import type { Bucket } from '../../../../src/schemas/bucket';

type BucketText = Pick<
  Bucket,
  | 'name'
  | 'bestFor'
  | 'angle'
  | 'avatar'
  | 'painPoints'
  | 'solutionMechanism'
  | 'keyCopyHooks'
  | 'displayOrder'
>;

export function supplementBucket(id: string, text: BucketText): Bucket {
  return {
    id,
    orgId: 'org-1',
    productId: 'product-greens',
    ...text,
    createdAt: '2026-02-18T10:00:00.000Z',
    updatedAt: '2026-02-18T10:00:00.000Z',
  };
}

/** Four buckets of a greens-powder supplement, written the way the seed's users write them. */
export const GUT_HEALTH = supplementBucket('bucket-gut', {
  name: 'Gut Health',
  bestFor: 'Testimonials about digestion, bloating relief and regularity',
  angle: 'Relatable problem then relief, educational',
  avatar: 'Women 30-55 who feel bloated after meals and have tried probiotics before',
  painPoints: [
    'Bloating after every meal',
    'Constipation and irregular digestion',
    'Gas and stomach discomfort',
    'Leaky gut worries',
  ],
  solutionMechanism: [
    'Prebiotic fiber feeds good gut bacteria',
    'Digestive enzymes break down food',
    'Probiotic strains restore the microbiome',
  ],
  keyCopyHooks: ['Flat stomach by Friday', 'Your gut is your second brain'],
  displayOrder: 0,
});

export const ENERGY_FOCUS = supplementBucket('bucket-energy', {
  name: 'Energy & Focus',
  bestFor: 'Morning routine videos, productivity, workday slumps',
  angle: 'Aspirational, performance',
  avatar: 'Busy professionals and parents running on coffee',
  painPoints: [
    'Afternoon energy crash',
    'Brain fog at work',
    'Relying on coffee and energy drinks',
    'Tired all the time',
  ],
  solutionMechanism: [
    'B vitamins support energy metabolism',
    'Adaptogens like ashwagandha and rhodiola',
    'Steady energy without jitters',
  ],
  keyCopyHooks: ['Ditch the 3pm crash', 'Focus like it is 9am all day'],
  displayOrder: 1,
});

export const SLEEP = supplementBucket('bucket-sleep', {
  name: 'Sleep',
  bestFor: 'Night routine, wind-down and bedtime videos',
  angle: 'Calm, soothing',
  avatar: 'Adults who lie awake at night or wake up at 3am',
  painPoints: [
    'Trouble falling asleep',
    'Waking up in the middle of the night',
    'Racing thoughts at bedtime',
    'Waking up groggy',
  ],
  solutionMechanism: [
    'Magnesium glycinate relaxes the nervous system',
    'L-theanine quiets racing thoughts',
    'No melatonin hangover',
  ],
  keyCopyHooks: ['Fall asleep in 20 minutes', 'Deep sleep without pills'],
  displayOrder: 2,
});

export const IMMUNITY = supplementBucket('bucket-immunity', {
  name: 'Immunity',
  bestFor: 'Cold and flu season, back to school, travel',
  angle: 'Protective, preventive',
  avatar: 'Parents who catch every cold the kids bring home',
  painPoints: [
    'Catching every cold going around',
    'Getting sick when traveling',
    'Weak immune system',
    'Slow recovery from flu',
  ],
  solutionMechanism: [
    'Vitamin C and zinc support immune defenses',
    'Elderberry and echinacea',
    'Antioxidants from whole food greens',
  ],
  keyCopyHooks: ['Stop catching everything', 'Sick days are not a personality'],
  displayOrder: 3,
});

export const SUPPLEMENT_BUCKETS: readonly Bucket[] = [GUT_HEALTH, ENERGY_FOCUS, SLEEP, IMMUNITY];

/** Realistic ad transcripts, one per bucket, as a creator would say them. */
export const TRANSCRIPTS = {
  gut: `Okay so I have to tell you about this because for years I was bloated after every single meal.
Like, I'd eat a salad and look six months pregnant. I tried probiotics, I cut out dairy, nothing.
Then my friend told me about these greens and within about a week the bloating was just... gone.
My digestion is way more regular and my stomach actually feels calm.`,
  energy: `It's 3pm and this is usually when I crash. I used to grab my third coffee and an energy drink
just to get through the afternoon, and I still had brain fog in every meeting.
Now I mix one scoop in the morning and I have steady energy all day, no jitters, and I can actually focus on work.`,
  sleep: `I used to lie awake until 2am with my thoughts racing. Every night, falling asleep took forever,
and then I'd wake up at 3am and stare at the ceiling. I started taking this before bed, it has magnesium,
and honestly I fall asleep so much faster now and I don't wake up groggy.`,
  immunity: `Every winter my kids bring home every cold from school and I catch it too. Last year I was sick
for three weeks with the flu. This year I've been taking this with vitamin C, zinc and elderberry,
and we've made it through the whole cold and flu season without getting sick once.`,
  offTopic: `Today we are reviewing the new mechanical keyboard. The switches are tactile, the keycaps are PBT,
and the case is aluminium. Typing on it is a joy.`,
} as const;
