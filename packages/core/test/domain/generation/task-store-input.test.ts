import { describe, expect, it } from 'vitest';
import {
  generationTaskInputError,
  generationTaskPatchError,
  generationTaskTransitionError,
  thumbnailInputError,
} from '../../../src/domain/generation/task-store-input';
import { offsetPageError } from '../../../src/domain/page-request';
import type { GenerationTask, Thumbnail } from '../../../src/schemas/generation';

const at = '2026-02-18T10:00:00.000Z';
const task: GenerationTask = {
  id: 'task_abc123',
  orgId: 'org-1',
  userId: 'user_1',
  projectName: 'Summer Vibes 2025',
  songTitle: 'Electric Dreams',
  musicFile: null,
  genre: 'Electronic',
  bpm: 128,
  engine: 'runway_gen3',
  prompt: 'Cinematic neon city at night',
  status: 'pending',
  videoUrl: null,
  videoId: null,
  youtubeTitle: null,
  youtubeDescription: null,
  youtubeTags: ['neon'],
  cost: 12.5,
  creditsUsed: 250,
  durationSec: 180,
  errorMessage: null,
  createdAt: at,
  updatedAt: at,
  completedAt: null,
};
const thumbnail: Thumbnail = {
  id: 'thumb_001',
  orgId: 'org-1',
  taskId: 'task_abc123',
  variant: 'bold_text',
  imageUrl: 'https://storage.example/thumb_001.jpg',
  blobKey: null,
  clickPrediction: 0.85,
  qualityScore: null,
  source: 'given',
  isSelected: false,
  createdAt: at,
};

describe('generationTaskInputError', () => {
  it('accepts a seed task, and ignores stray properties', () => {
    expect(generationTaskInputError(task)).toBe(undefined);
    expect(generationTaskInputError({ ...task, extra: 1 } as GenerationTask)).toBe(undefined);
  });

  it.each([
    [{ bpm: 120.5 }, 'bpm'],
    [{ creditsUsed: -1 }, 'creditsUsed'],
    [{ cost: Number.NaN }, 'cost'],
    [{ status: 'done' }, 'status'],
    [{ id: '' }, 'id'],
    [{ updatedAt: 'yesterday' }, 'updatedAt'],
  ])('refuses %j naming %s', (fields, path) => {
    const error = generationTaskInputError({ ...task, ...fields } as GenerationTask);
    expect(error?.code).toBe('VALIDATION');
    expect(error?.path).toBe(path);
  });
});

describe('generationTaskPatchError and generationTaskTransitionError', () => {
  it('checks only the fields given, and the time', () => {
    expect(generationTaskPatchError({ cost: 15, updatedAt: at })).toBe(undefined);
    expect(generationTaskPatchError({ bpm: 0, updatedAt: at })?.path).toBe('bpm');
    expect(generationTaskPatchError({ updatedAt: 'now' })?.path).toBe('updatedAt');
  });

  it('checks the statuses and the patch of a transition', () => {
    const change = { from: ['pending'], to: 'processing', updatedAt: at };
    expect(generationTaskTransitionError(change)).toBe(undefined);
    expect(generationTaskTransitionError({ ...change, to: 'finished' })?.path).toBe('to');
    expect(generationTaskTransitionError({ ...change, from: ['later'] })?.path).toBe('from.0');
    expect(generationTaskTransitionError({ ...change, patch: { completedAt: 'soon' } })?.path).toBe(
      'patch.completedAt',
    );
  });
});

describe('thumbnailInputError', () => {
  it('accepts an external image or a blob, but not both or neither', () => {
    expect(thumbnailInputError(thumbnail)).toBe(undefined);
    expect(
      thumbnailInputError({
        ...thumbnail,
        imageUrl: null,
        blobKey: 'frames/1.jpg',
        source: 'frame',
      }),
    ).toBe(undefined);
    expect(thumbnailInputError({ ...thumbnail, blobKey: 'frames/1.jpg' })?.path).toBe('imageUrl');
    expect(thumbnailInputError({ ...thumbnail, imageUrl: null })?.path).toBe('imageUrl');
  });

  it('refuses a prediction outside 0..1', () => {
    expect(thumbnailInputError({ ...thumbnail, clickPrediction: 1.2 })?.path).toBe(
      'clickPrediction',
    );
  });
});

describe('offsetPageError', () => {
  it('accepts an offset alone and refuses a bad one or one with after', () => {
    expect(offsetPageError({ offset: 10, limit: 10 })).toBe(undefined);
    expect(offsetPageError({ offset: -1 })?.path).toBe('offset');
    expect(offsetPageError({ offset: 1, after: 'x' })?.path).toBe('offset');
    expect(offsetPageError({ limit: 1.5 })?.path).toBe('limit');
  });
});
