import { type Schema, Type } from '@google/genai';
import type { Bucket } from '@vbuckets/core';
import type { AnalyzerVideo, VideoAnalysis } from '@vbuckets/core/adapter-kit';

/** The bucket name the model gives when no bucket fits (core reads it as null). */
export const NO_BUCKET = 'none';

const ANALYSIS_PROPERTIES: Record<string, Schema> = {
  summary: {
    type: Type.STRING,
    description: 'Two or three sentences: what happens in the video and what it promotes.',
  },
  transcript: {
    type: Type.STRING,
    description: 'Every spoken word, in order; an empty string if nothing is said.',
  },
  hook: {
    type: Type.STRING,
    description: 'What grabs attention in the first three seconds (line, visual or sound).',
  },
  topics: {
    type: Type.ARRAY,
    items: { type: Type.STRING },
    description: 'Three to eight short topic phrases.',
  },
  onScreenText: {
    type: Type.STRING,
    description: 'Text shown on screen (captions, overlays); an empty string if none.',
  },
};
const ANALYSIS_ORDER = ['summary', 'transcript', 'hook', 'topics', 'onScreenText'];

function choiceProperties(buckets: readonly Bucket[]): Record<string, Schema> {
  return {
    // Reasoning comes before the choice so the model argues before it commits.
    reasoning: {
      type: Type.STRING,
      description: 'One or two sentences on why the chosen bucket fits (or why none does).',
    },
    bucketName: {
      type: Type.STRING,
      format: 'enum',
      enum: [...buckets.map((bucket) => bucket.name), NO_BUCKET],
      nullable: true,
      description: `The exact name of the best bucket, or "${NO_BUCKET}" if no bucket fits.`,
    },
    confidence: {
      type: Type.NUMBER,
      minimum: 0,
      maximum: 1,
      description: 'How sure the choice is, from 0 to 1.',
    },
  };
}
const CHOICE_ORDER = ['reasoning', 'bucketName', 'confidence'];

function objectSchema(properties: Record<string, Schema>, order: string[]): Schema {
  return { type: Type.OBJECT, properties, required: order, propertyOrdering: order };
}

/** Structured output of an analysis-only request. */
export function analysisSchema(): Schema {
  return objectSchema(ANALYSIS_PROPERTIES, ANALYSIS_ORDER);
}

/** Structured output of a combined request: the analysis and the bucket choice. */
export function combinedSchema(buckets: readonly Bucket[]): Schema {
  return objectSchema({ ...ANALYSIS_PROPERTIES, ...choiceProperties(buckets) }, [
    ...ANALYSIS_ORDER,
    ...CHOICE_ORDER,
  ]);
}

/** Structured output of a text-only categorization. */
export function categorizationSchema(buckets: readonly Bucket[]): Schema {
  return objectSchema(choiceProperties(buckets), CHOICE_ORDER);
}

function list(values: readonly string[]): string {
  return values.length === 0 ? '-' : values.join('; ');
}

/** The buckets as the prompt shows them: every field a person would weigh (seed 000). */
export function describeBuckets(buckets: readonly Bucket[]): string {
  return buckets
    .map((bucket, index) =>
      [
        `${index + 1}. ${JSON.stringify(bucket.name)}`,
        `   Best for: ${bucket.bestFor || '-'}`,
        `   Angle: ${bucket.angle || '-'}`,
        `   Avatar (target audience): ${bucket.avatar || '-'}`,
        `   Pain points: ${list(bucket.painPoints)}`,
        `   Solution mechanisms: ${list(bucket.solutionMechanism)}`,
        `   Key copy hooks: ${list(bucket.keyCopyHooks)}`,
      ].join('\n'),
    )
    .join('\n');
}

const ANALYSIS_TASK = `Watch the whole video, with its sound, and describe it:
- summary: two or three sentences on what happens and what is promoted;
- transcript: every spoken word ("" if nothing is said);
- hook: what grabs attention in the first three seconds;
- topics: three to eight short topic phrases;
- onScreenText: text shown on screen ("" if none).`;

const CHOICE_TASK = `Then choose the one bucket below that fits the video best, comparing it with each bucket's description.
If no bucket fits, set bucketName to "${NO_BUCKET}". Use a bucket name exactly as written.
Give a confidence from 0 to 1 and one or two sentences of reasoning.`;

function videoFacts(video: AnalyzerVideo): string {
  const lines = [`Video file: ${JSON.stringify(video.filename)}`];
  if (video.knownText !== undefined && video.knownText.trim() !== '') {
    lines.push(`Text already known about the video (captions, tags):\n${video.knownText.trim()}`);
  }
  return lines.join('\n');
}

/** The prompt of an analysis-only request (the video goes in the same message). */
export function analysisPrompt(video: AnalyzerVideo): string {
  return `You analyse short-form marketing videos (UGC ads, clips, music videos).

${ANALYSIS_TASK}

${videoFacts(video)}

Answer with JSON only.`;
}

/** The prompt of a combined request: analysis and bucket choice. */
export function combinedPrompt(video: AnalyzerVideo, buckets: readonly Bucket[]): string {
  return `You analyse short-form marketing videos (UGC ads, clips, music videos) and file each into a content bucket for ad campaigns.

${ANALYSIS_TASK}

${CHOICE_TASK}

${videoFacts(video)}

Buckets:
${describeBuckets(buckets)}

Answer with JSON only.`;
}

/** The prompt of a text-only categorization of an earlier analysis (seed 000's second call). */
export function categorizationPrompt(analysis: VideoAnalysis, buckets: readonly Bucket[]): string {
  return `You file short-form marketing videos into content buckets for ad campaigns.
Choose the one bucket below that best fits the video described by this analysis, comparing it with each bucket's description.
If no bucket fits, set bucketName to "${NO_BUCKET}". Use a bucket name exactly as written.
Give a confidence from 0 to 1 and one or two sentences of reasoning.

Video analysis:
Summary: ${analysis.summary || '-'}
Hook: ${analysis.hook || '-'}
Topics: ${list(analysis.topics)}
On-screen text: ${analysis.onScreenText || '-'}
Transcript: ${analysis.transcript || '-'}

Buckets:
${describeBuckets(buckets)}

Answer with JSON only.`;
}
