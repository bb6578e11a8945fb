import { expect } from 'vitest';
import type { TestHost } from './host';

export interface TaskJson {
  id: string;
  orgId: string;
  userId: string;
  status: string;
  videoId: string | null;
  [field: string]: unknown;
}

let counter = 0;

/** Creates a task through the API as the token's caller, asserting the 201. */
export async function createTask(
  host: TestHost,
  token: string,
  fields: Record<string, unknown> = {},
): Promise<TaskJson> {
  counter += 1;
  const response = await host.call('/api/v1/tasks', {
    method: 'POST',
    token,
    json: {
      userId: 'ana',
      projectName: `Summer Vibes ${counter}`,
      engine: 'runway_standard',
      prompt: 'Cinematic neon city at night',
      ...fields,
    },
  });
  expect(response.status, await cloneText(response)).toBe(201);
  return (await response.json()) as TaskJson;
}

/** Adds a thumbnail by URL to a task through the API, asserting the 201. */
export async function addThumbnail(
  host: TestHost,
  token: string,
  taskId: string,
  fields: Record<string, unknown> = {},
): Promise<{ id: string; isSelected: boolean; clickPrediction: number | null }> {
  const response = await host.call(`/api/v1/tasks/${taskId}/thumbnails`, {
    method: 'POST',
    token,
    json: { variant: 'bold_text', imageUrl: 'https://images.example/t.jpg', ...fields },
  });
  expect(response.status, await cloneText(response)).toBe(201);
  return (await response.json()) as { id: string; isSelected: boolean; clickPrediction: number };
}

async function cloneText(response: Response): Promise<string> {
  return response.clone().text();
}
