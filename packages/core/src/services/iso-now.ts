import type { Clock } from '../ports/clock';

/** The clock's current instant as the ISO timestamp rows and events store. */
export const isoNow = (clock: Clock): string => new Date(clock.now()).toISOString();
