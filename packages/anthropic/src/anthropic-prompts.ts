import type { ContentBlockParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import type { Bucket } from '@vbuckets/core';
import type { AnalyzerVideo, VideoAnalysis } from '@vbuckets/core/adapter-kit';
import type { ClaudeFrame } from './anthropic-frames';
import { formatSeconds } from './anthropic-frames';

/** The bucket name the model gives when no bucket fits (core reads it as null). */
export const NO_BUCKET = 'none';

export const PACINGS = ['slow', 'medium', 'fast'] as const;

export const ANALYSIS_TOOL_NAME = 'record_video_analysis';
export const COMBINED_TOOL_NAME = 'record_video_analysis_and_bucket';
export const CHOICE_TOOL_NAME = 'record_bucket_choice';

type JsonSchema = Record<string, unknown>;

const label = (description: string): JsonSchema => ({ type: 'string', description });

const ANALYSIS_PROPERTIES: Record<string, JsonSchema> = {
  summary: label('Two or three sentences: what the video shows and what it promotes.'),
  hook: label('What grabs attention in the Hook frame (a line, a visual, a face).'),
  hookType: label(
    'The kind of hook, one snake_case label, e.g. problem_agitation, question, bold_claim, demonstration, testimonial, before_after, curiosity_gap.',
  ),
  emotion: label(
    'The main emotion the video plays on, one snake_case label, e.g. frustration, curiosity, excitement, relief, fear, joy.',
  ),
  pacing: {
    type: 'string',
    enum: [...PACINGS],
    description: 'How fast the video feels, judged from how much changes between the frames.',
  },
  targetAudiencePain: label(
    "The audience's pain the video addresses, one snake_case label, e.g. no_time, low_energy, bloating.",
  ),
  tags: {
    type: 'array',
    items: { type: 'string' },
    description: 'Three to eight more short tags: product, format, setting, people.',
  },
  onScreenText: label(
    'Every text overlay or caption that can be read in the frames, in order; an empty string if none.',
  ),
};

function choiceProperties(buckets: readonly Bucket[]): Record<string, JsonSchema> {
  return {
    // Reasoning comes before the choice so the model argues before it commits.
    reasoning: label('One or two sentences on why the chosen bucket fits (or why none does).'),
    bucketName: {
      type: 'string',
      enum: [...buckets.map((bucket) => bucket.name), NO_BUCKET],
      description: `The exact name of the best bucket, or "${NO_BUCKET}" if no bucket fits.`,
    },
    confidence: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      description: 'How sure the choice is, from 0 to 1.',
    },
  };
}

function tool(name: string, description: string, properties: Record<string, JsonSchema>): Tool {
  return {
    name,
    description,
    input_schema: {
      type: 'object',
      properties,
      required: Object.keys(properties),
      additionalProperties: false,
    },
  };
}

/** The tool an analysis-only request forces. */
export function analysisTool(): Tool {
  return tool(
    ANALYSIS_TOOL_NAME,
    'Records the analysis of a short-form marketing video seen through its key frames.',
    ANALYSIS_PROPERTIES,
  );
}

/** The tool a combined request forces: the analysis and the bucket choice. */
export function combinedTool(buckets: readonly Bucket[]): Tool {
  return tool(
    COMBINED_TOOL_NAME,
    'Records the analysis of a short-form marketing video seen through its key frames, and the content bucket it belongs in.',
    { ...ANALYSIS_PROPERTIES, ...choiceProperties(buckets) },
  );
}

/** The tool a text-only categorization forces. */
export function choiceTool(buckets: readonly Bucket[]): Tool {
  return tool(
    CHOICE_TOOL_NAME,
    'Records the content bucket an analysed video belongs in.',
    choiceProperties(buckets),
  );
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

/** "Frame 2 of 3: Body at 3 s", the label given right before each image. */
export function frameCaption(frame: ClaudeFrame, index: number, count: number): string {
  return `Frame ${index + 1} of ${count}: ${frame.label} at ${formatSeconds(frame.timestampSec)} s`;
}

const CHOICE_TASK = `Then choose the one bucket below that fits the video best, comparing it with each bucket's description.
If no bucket fits, set bucketName to "${NO_BUCKET}". Use a bucket name exactly as written.
Give a confidence from 0 to 1 and one or two sentences of reasoning.`;

function videoFacts(video: AnalyzerVideo): string {
  const lines = [`Video file: ${JSON.stringify(video.filename)}`];
  const known = video.knownText?.trim();
  if (known !== undefined && known !== '') {
    lines.push(
      `Transcript and captions known for this video (sidecar file, container tags):\n${known}`,
    );
  }
  return lines.join('\n');
}

/** Seed 003's framing: "Analyze this UGC video from 3 key frames (Hook at 0s, Body at 3s, CTA at 10s)". */
function framesIntroduction(frames: readonly ClaudeFrame[]): string {
  const which = frames
    .map((frame) => `${frame.label} at ${formatSeconds(frame.timestampSec)} s`)
    .join(', ');
  const count = frames.length === 1 ? '1 key frame' : `${frames.length} key frames`;
  return `Analyze this UGC video from ${count} (${which}). You see still frames only: nothing between them, and no sound.`;
}

function framesPrompt(
  video: AnalyzerVideo,
  frames: readonly ClaudeFrame[],
  toolName: string,
  buckets: readonly Bucket[] | undefined,
): string {
  const parts = [
    `${framesIntroduction(frames)}\nDescribe it with the ${toolName} tool.`,
    ...(buckets === undefined ? [] : [CHOICE_TASK]),
    videoFacts(video),
    ...(buckets === undefined ? [] : [`Buckets:\n${describeBuckets(buckets)}`]),
  ];
  return parts.join('\n\n');
}

/**
 * The user message of a frames request: each frame labelled (Hook, Body, CTA and its time)
 * right before its image, then the task. Images come before the question, as Anthropic
 * recommends.
 */
export function framesContent(
  video: AnalyzerVideo,
  frames: readonly ClaudeFrame[],
  buckets?: readonly Bucket[],
): ContentBlockParam[] {
  const content: ContentBlockParam[] = [];
  for (const [index, frame] of frames.entries()) {
    content.push({ type: 'text', text: frameCaption(frame, index, frames.length) });
    content.push({
      type: 'image',
      source: {
        type: 'base64',
        media_type: 'image/jpeg',
        data: Buffer.from(frame.jpeg.bytes).toString('base64'),
      },
    });
  }
  const toolName = buckets === undefined ? ANALYSIS_TOOL_NAME : COMBINED_TOOL_NAME;
  content.push({ type: 'text', text: framesPrompt(video, frames, toolName, buckets) });
  return content;
}

function rawLabel(analysis: VideoAnalysis, key: string): string {
  const value = analysis.raw[key];
  return typeof value === 'string' && value.trim() !== '' ? value : '-';
}

/** The prompt of a text-only categorization of an earlier analysis. */
export function categorizationPrompt(analysis: VideoAnalysis, buckets: readonly Bucket[]): string {
  return `You file short-form marketing videos into content buckets for ad campaigns.
Choose the one bucket below that best fits the video described by this analysis, comparing it with each bucket's description, and record it with the ${CHOICE_TOOL_NAME} tool.
If no bucket fits, set bucketName to "${NO_BUCKET}". Use a bucket name exactly as written.
Give a confidence from 0 to 1 and one or two sentences of reasoning.

Video analysis:
Summary: ${analysis.summary || '-'}
Hook: ${analysis.hook || '-'}
Hook type: ${rawLabel(analysis, 'hookType')}
Emotion: ${rawLabel(analysis, 'emotion')}
Pacing: ${rawLabel(analysis, 'pacing')}
Target audience pain: ${rawLabel(analysis, 'targetAudiencePain')}
Topics: ${list(analysis.topics)}
On-screen text: ${analysis.onScreenText || '-'}
Transcript: ${analysis.transcript || '-'}

Buckets:
${describeBuckets(buckets)}`;
}
