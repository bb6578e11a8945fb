import { z } from 'zod';
import { IdSchema } from './common';

/** Who is asking, as a verified token says: the user, their organisation and their roles. */
export interface Actor {
  /** The token's `sub`. */
  userId: string;
  /** The organisation the token was issued for (the `org_id` claim by default). */
  orgId: string;
  /** Role names (`admin`, …); empty when the token carries none. */
  roles: string[];
}

/** An actor handed to a service: ids as records store them, roles a list of names. */
export const ActorSchema = z.object({
  userId: IdSchema,
  orgId: IdSchema,
  roles: z.array(z.string()).max(100, 'must have at most 100 items'),
});
