// BullMQ refuses custom ids that look like integers or contain ':' (its own scheduler ids are
// `repeat:<scheduler>:<millis>`); the port allows any id without control characters. So ids are
// escaped reversibly: '%' → '%25', ':' → '%3A', and an integer-looking result gets a '%N' mark
// (which escaping never produces). Readable ids (UUIDs, `video-1/youtube`) stay as they are.

const MARK = '%N';

function looksLikeInteger(value: string): boolean {
  return `${Number.parseInt(value, 10)}` === value;
}

/** The BullMQ job id of a port job id. */
export function toBullJobId(id: string): string {
  const escaped = id.replace(/%/gu, '%25').replace(/:/gu, '%3A');
  return looksLikeInteger(escaped) ? `${MARK}${escaped}` : escaped;
}

/** The port job id of a BullMQ job id; ids BullMQ made itself (with ':') are kept as they are. */
export function fromBullJobId(bullId: string): string {
  if (bullId.includes(':')) return bullId;
  const unmarked = bullId.startsWith(MARK) ? bullId.slice(MARK.length) : bullId;
  return unmarked.replace(/%(25|3A)/gu, (_, code: string) => (code === '25' ? '%' : ':'));
}

/**
 * The BullMQ ids a port id may name: its escaped form, and for a job a schedule made
 * (`repeat:…`, shown as BullMQ named it) the id itself.
 */
export function bullJobIdCandidates(id: string): string[] {
  const escaped = toBullJobId(id);
  return id.startsWith('repeat:') && escaped !== id ? [escaped, id] : [escaped];
}
