import { stemWord } from './keyword-tokenizer';

/**
 * The background model of the open-set check: everyday English that any video, on topic or
 * not, is likely to say (time of day, home, family, work, food, travel, feelings, counting,
 * common verbs and adjectives). A bucket word from this list is weak evidence that a video
 * is about the bucket, because an unrelated video says it about as often; words outside it
 * (bloating, magnesium, hyperpigmentation) are strong evidence. Written by hand from the
 * most frequent words of spoken American English; stemmed on load as the tokenizer stems.
 */
const EVERYDAY_WORDS = `
time times day days week weeks month months year years hour hours minute minutes second seconds
morning mornings afternoon evening night nights today tonight tomorrow yesterday weekend monday
friday sunday early late always never sometimes often once twice ago since first last next new
old young little big small long short high low whole half full empty best better good bad great
nice fine real honest honestly actually literally basically finally still even back home house
room kitchen bathroom bedroom bed door window car road city beach park yard shelf desk office
work works working job team meeting meetings boss coworker school class teacher kids kid child
children baby toddler son daughter mom mum dad mother father parent parents family friend
friends sister brother husband wife girlfriend boyfriend people person guys girls man men woman
women everyone nobody somebody life world thing things stuff way part side top end start
food eat eating ate lunch dinner breakfast meal meals coffee tea water drink drinks cup cups
snack recipe cook cooking bread cheese pasta salad chicken rice egg eggs sugar
travel trip trips flight plane fly vacation holiday summer winter spring fall autumn season
seasons weather sun sunny cold hot warm cool rain snow outside inside
sleep sleeping asleep awake wake woke nap tired rest bedtime routine routines habit habits
feel feels feeling felt look looks looking looked see seen watch watching love loved hate want
need try tried trying use used using make made take took give gave put keep kept come came
run running walk walking play playing buy bought spend spent save saved money dollars price
cheap free one two three four five six seven eight nine ten twelve twenty thirty forty fifty
sixty hundred thousand around almost maybe
face hand hands hair eyes eye body head back skin
busy easy hard quick fast slow simple clean dry wet soft smooth bright dark light red green
brown white black gold golden color colour
happy sad stress stressed calm relax relaxed fun funny crazy weird wild obsessed favorite
review unboxing vlog video tutorial haul update tour hack tip tips
`;

/** Stems of everyday words (see {@link EVERYDAY_WORDS}). */
export const BACKGROUND_STEMS: ReadonlySet<string> = new Set(
  EVERYDAY_WORDS.split(/\s+/)
    .filter((word) => word !== '')
    .map((word) => stemWord(word)),
);
