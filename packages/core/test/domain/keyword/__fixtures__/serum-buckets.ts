import type { Bucket } from '../../../../src/schemas/bucket';
import { supplementBucket } from './supplement-buckets';

function serumBucket(id: string, text: Parameters<typeof supplementBucket>[1]): Bucket {
  return { ...supplementBucket(id, text), productId: 'product-serum' };
}

/** Five buckets of a vitamin C face serum: the development set's second product. */
export const SERUM_BUCKETS: readonly Bucket[] = [
  serumBucket('bucket-acne', {
    name: 'Acne & Breakouts',
    bestFor: 'Before and after of breakouts, hormonal acne, teenage skin',
    angle: 'Honest struggle then clear skin',
    avatar: 'Teens and adults in their twenties with oily, breakout-prone skin',
    painPoints: [
      'Hormonal breakouts on the chin',
      'Clogged pores and blackheads',
      'Acne scars and red marks',
      'Oily T-zone by noon',
    ],
    solutionMechanism: [
      'Niacinamide calms inflammation',
      'Salicylic acid unclogs pores',
      'Non-comedogenic formula',
    ],
    keyCopyHooks: ['Clear skin without harsh scrubs', 'Pimple patches are not a plan'],
    displayOrder: 0,
  }),
  serumBucket('bucket-aging', {
    name: 'Anti-Aging',
    bestFor: 'Fine lines, wrinkles, firmness, skincare over forty',
    angle: 'Confident, ageless',
    avatar: 'Women 40-60 noticing fine lines and sagging skin',
    painPoints: [
      'Fine lines around the eyes',
      'Forehead wrinkles and crow feet',
      'Loss of firmness and elasticity',
      'Dull, tired-looking complexion',
    ],
    solutionMechanism: [
      'Vitamin C boosts collagen production',
      'Peptides firm the skin',
      'Hyaluronic acid plumps fine lines',
    ],
    keyCopyHooks: ['Botox results without needles', 'Look rested at fifty'],
    displayOrder: 1,
  }),
  serumBucket('bucket-spots', {
    name: 'Dark Spots',
    bestFor: 'Hyperpigmentation, sun spots, melasma and uneven skin tone',
    angle: 'Transformation, brightening',
    avatar: 'Adults with sun damage, melasma or post-acne marks',
    painPoints: [
      'Sun spots on cheeks and forehead',
      'Melasma patches',
      'Uneven skin tone',
      'Hyperpigmentation that concealer cannot hide',
    ],
    solutionMechanism: [
      'Stabilized vitamin C fades pigment',
      'Alpha arbutin and licorice root brighten',
      'Antioxidants protect against sun damage',
    ],
    keyCopyHooks: ['Fade dark spots in weeks', 'Glow without filters'],
    displayOrder: 2,
  }),
  serumBucket('bucket-dry', {
    name: 'Dry & Sensitive Skin',
    bestFor: 'Winter skin, flaking, redness, eczema-prone and reactive skin',
    angle: 'Gentle, soothing',
    avatar: 'People whose skin stings, flakes or turns red with most products',
    painPoints: [
      'Flaky dry patches',
      'Tight skin after washing',
      'Redness and stinging from products',
      'Eczema and rosacea flare ups',
    ],
    solutionMechanism: [
      'Ceramides repair the skin barrier',
      'Fragrance-free and gentle',
      'Squalane locks in moisture',
    ],
    keyCopyHooks: ['Finally a serum that does not sting', 'Barrier repair in a bottle'],
    displayOrder: 3,
  }),
  serumBucket('bucket-routine', {
    name: 'Simple Routine',
    bestFor: 'Minimalist skincare, busy mornings, men new to skincare, saving money',
    angle: 'Practical, one step',
    avatar: 'Busy people and men who want one product instead of ten',
    painPoints: [
      'Ten step routines take forever',
      'Bathroom shelf full of products',
      'Spending hundreds on skincare',
      'Not knowing where to start',
    ],
    solutionMechanism: [
      'One serum replaces toner, essence and brightener',
      'Thirty seconds morning routine',
      'Lasts three months per bottle',
    ],
    keyCopyHooks: ['One bottle, done', 'Skincare for people who hate skincare'],
    displayOrder: 4,
  }),
];
