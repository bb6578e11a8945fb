import { describe, expect, it } from 'vitest';
import { filenameText } from '../../../src/domain/keyword/filename-text';

describe('filenameText', () => {
  it.each([
    ['gut_health-testimonial.mp4', 'gut health testimonial'],
    ['sleepRoutineNightVlog.MOV', 'sleep Routine Night Vlog'],
    ['IMG_1234.mov', ''],
    ['PXL_20240518_101501234.mp4', ''],
    ['energy+focus.morning routine.webm', 'energy focus morning routine'],
    ['clips/2024/brain fog (final) v2.mp4', 'brain fog final'],
    ['C:\\videos\\ImmunityTips_03.avi', 'Immunity Tips'],
    ['550e8400-e29b-41d4-a716-446655440000-bloating.mp4', 'bloating'],
    ['bloating_9f86d081884c7d65.mp4', 'bloating'],
    ['UGCCreatorHook3.mp4', 'UGC Creator Hook'],
    ['gut.sleep', 'gut sleep'],
    ['Müdigkeit_Schlaf.mp4', 'Müdigkeit Schlaf'],
  ])('reads %s as "%s"', (filename, words) => {
    expect(filenameText(filename)).toBe(words);
  });
});
