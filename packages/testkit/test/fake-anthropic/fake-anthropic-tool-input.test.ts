import { describe, expect, it } from 'vitest';
import { toolInput } from '../../src/fake-anthropic/fake-anthropic-answers';

describe('fake Anthropic tool input', () => {
  it('answers a list of objects with one item per image, numbered, click predictions rising', () => {
    const schema = {
      type: 'object',
      properties: {
        ratings: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              candidate: { type: 'integer' },
              clickPrediction: { type: 'number' },
              reason: { type: 'string' },
              extra: { type: 'boolean' },
            },
          },
        },
        tags: { type: 'array', items: { type: 'string' } },
      },
    };
    expect(toolInput(schema, {}, 2)).toEqual({
      ratings: [
        {
          candidate: 1,
          clickPrediction: 0.333,
          reason: 'Fake reason for image 1 of 2.',
          extra: false,
        },
        {
          candidate: 2,
          clickPrediction: 0.667,
          reason: 'Fake reason for image 2 of 2.',
          extra: false,
        },
      ],
      tags: [],
    });
    // A field given by the test wins over the per-image list.
    expect(toolInput(schema, { ratings: [] }, 2).ratings).toEqual([]);
  });
});
