/** The sidecar text formats the keyword categorizer reads. */
export type CaptionFormat = 'txt' | 'srt' | 'vtt';

const FORMAT_BY_EXTENSION: Readonly<Record<string, CaptionFormat>> = {
  txt: 'txt',
  srt: 'srt',
  vtt: 'vtt',
};

/** The caption format of a file name by its extension (any case), or undefined for others. */
export function captionFormatOf(filename: string): CaptionFormat | undefined {
  const dot = filename.lastIndexOf('.');
  if (dot < 0) return undefined;
  return FORMAT_BY_EXTENSION[filename.slice(dot + 1).toLowerCase()];
}

// Both SRT (`00:00:01,000`) and WebVTT (`00:01.000`, hours optional) timings; settings may follow.
const TIMING_LINE = /^(?:\d+:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?\s*-->\s*(?:\d+:)?\d{1,2}:\d{2}/;
const CUE_NUMBER = /^\d+$/;
const MARKUP_TAG = /<[^>\n]*>/g;
// SubStation overrides that some SRT files carry, e.g. `{\an8}`.
const OVERRIDE_TAG = /\{\\[^}\n]*\}/g;
// Non-speech annotations such as `[Music]` or `[LAUGHS]` say nothing about the topic.
const SOUND_ANNOTATION = /\[[^\]\n]{0,60}\]/g;

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  lrm: '',
  rlm: '',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, body: string) => {
    if (body.startsWith('#')) {
      const hex = body[1] === 'x' || body[1] === 'X';
      const codePoint = Number.parseInt(body.slice(hex ? 2 : 1), hex ? 16 : 10);
      return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : entity;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? entity;
  });
}

function cleanCueLine(line: string): string {
  return decodeEntities(
    line.replace(MARKUP_TAG, '').replace(OVERRIDE_TAG, '').replace(SOUND_ANNOTATION, ''),
  )
    .replace(/\s+/g, ' ')
    .trim();
}

function normalizeLines(content: string): string[] {
  return content
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
}

/**
 * Collects cues as single lines. A caption line equal to the line emitted just before it is
 * dropped: auto-generated (rolling) captions repeat each line in the next cue.
 */
function createCueCollector() {
  const output: string[] = [];
  let previousLine = '';
  return {
    add(rawLines: readonly string[]) {
      const kept: string[] = [];
      for (const raw of rawLines) {
        const line = cleanCueLine(raw);
        if (line === '' || line === previousLine) continue;
        kept.push(line);
        previousLine = line;
      }
      if (kept.length > 0) output.push(kept.join(' '));
    },
    text: () => output.join('\n'),
  };
}

function srtText(lines: readonly string[]): string {
  const cues = createCueCollector();
  let current: string[] = [];
  const flush = () => {
    cues.add(current);
    current = [];
  };
  for (const [index, line] of lines.entries()) {
    const trimmed = line.trim();
    if (trimmed === '') {
      flush();
    } else if (TIMING_LINE.test(trimmed)) {
      flush();
    } else if (CUE_NUMBER.test(trimmed) && TIMING_LINE.test(lines[index + 1]?.trim() ?? '')) {
      // A cue number; files without blank lines between cues are handled here too.
      flush();
    } else {
      current.push(trimmed);
    }
  }
  flush();
  return cues.text();
}

function vttText(lines: readonly string[]): string {
  const blocks: string[][] = [];
  let block: string[] = [];
  for (const line of lines) {
    if (line.trim() === '') {
      if (block.length > 0) blocks.push(block);
      block = [];
    } else {
      block.push(line.trim());
    }
  }
  if (block.length > 0) blocks.push(block);

  const cues = createCueCollector();
  for (const [index, each] of blocks.entries()) {
    const first = each[0] ?? '';
    if (index === 0 && /^WEBVTT(?:\s|$)/.test(first)) continue;
    if (/^(?:NOTE|STYLE|REGION)(?:\s|$)/.test(first)) continue;
    // Lines before the timing are a cue id; a block without a timing is not a cue.
    const timing = each.findIndex((line) => line.includes('-->'));
    if (timing < 0) continue;
    cues.add(each.slice(timing + 1));
  }
  return cues.text();
}

/**
 * The plain spoken text of a transcript or caption file. SRT and WebVTT lose cue numbers and
 * ids, timings (with their settings), header, NOTE, STYLE and REGION blocks, markup such as
 * `<i>`, `<v Speaker>`, `<c.loud>` and inline timestamps, and `[Music]`-style annotations;
 * each cue becomes one line, entities are decoded, and a line repeated by rolling captions is
 * kept once. TXT is returned as it is. A byte-order mark is dropped and CRLF read as LF.
 */
export function captionText(content: string, format: CaptionFormat): string {
  const lines = normalizeLines(content);
  switch (format) {
    case 'txt':
      return lines.join('\n').trim();
    case 'srt':
      return srtText(lines);
    case 'vtt':
      return vttText(lines);
  }
}
