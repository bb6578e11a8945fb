import { describe, expect, it } from 'vitest';
import { captionFormatOf, captionText } from '../../../src/domain/keyword/caption-text';

const SRT = `1
00:00:00,500 --> 00:00:03,200
<i>Okay so</i> I have to tell you
about this greens powder.

2
00:00:03,400 --> 00:00:06,900
{\\an8}For years I was <b>bloated</b>
after every single meal.

3
00:00:07,000 --> 00:00:09,000
[Music]

4
00:00:09,100 --> 00:00:12,000
My digestion &amp; my mood
are so much better.
`;

const VTT = `WEBVTT
Kind: captions
Language: en

NOTE
This file was exported from the editor.
Timings are approximate.

STYLE
::cue(.loud) { color: red; }

REGION
id:bottom
width:40%

intro
00:00:00.000 --> 00:00:02.500 align:start position:10% line:85%
<v Maria>It's 3pm and I usually crash.</v>

00:02.500 --> 00:05.000
<v.narrator Maria><c.loud>Brain fog</c> in <i>every</i> meeting,
then a third coffee.

NOTE a cue taken out by the editor, timing and all
00:00:04.000 --> 00:00:05.000
This line was cut and must not show.

3
00:00:05.000 --> 00:00:08.000
Now<00:00:05.400> I<00:00:05.600> have steady energy.
`;

const EXPECTED_SRT = [
  'Okay so I have to tell you about this greens powder.',
  'For years I was bloated after every single meal.',
  'My digestion & my mood are so much better.',
].join('\n');

const EXPECTED_VTT = [
  "It's 3pm and I usually crash.",
  'Brain fog in every meeting, then a third coffee.',
  'Now I have steady energy.',
].join('\n');

describe('captionText', () => {
  it('reads SRT: cue numbers, timings, markup, overrides and sound annotations go; a cue is one line', () => {
    expect(captionText(SRT, 'srt')).toBe(EXPECTED_SRT);
  });

  it('reads SRT with a byte-order mark and CRLF line ends the same way', () => {
    expect(captionText(`\uFEFF${SRT.replace(/\n/g, '\r\n')}`, 'srt')).toBe(EXPECTED_SRT);
  });

  it('reads SRT whose cues are not separated by blank lines', () => {
    const packed =
      '1\n00:00:01,000 --> 00:00:02,000\nFirst cue\n2\n00:00:02,000 --> 00:00:03,000\nSecond cue\n';
    expect(captionText(packed, 'srt')).toBe('First cue\nSecond cue');
  });

  it('keeps a number that is the spoken text of a cue', () => {
    const srt =
      '1\n00:00:01,000 --> 00:00:02,000\n2024\n\n2\n00:00:02,000 --> 00:00:03,000\nwas the year\n';
    expect(captionText(srt, 'srt')).toBe('2024\nwas the year');
  });

  it('reads WebVTT: header, NOTE, STYLE and REGION blocks, cue ids, timing settings and inline tags go', () => {
    expect(captionText(VTT, 'vtt')).toBe(EXPECTED_VTT);
  });

  it('reads WebVTT with a byte-order mark and CRLF line ends the same way', () => {
    expect(captionText(`\uFEFF${VTT.replace(/\n/g, '\r\n')}`, 'vtt')).toBe(EXPECTED_VTT);
  });

  it('keeps each line of rolling auto-captions once', () => {
    const rolling = `WEBVTT

00:00:00.000 --> 00:00:02.000 align:start position:0%
so today I want to talk about

00:00:02.000 --> 00:00:04.000 align:start position:0%
so today I want to talk about
bloating<00:00:02.500><c> and</c><00:00:03.000><c> gut health</c>

00:00:04.000 --> 00:00:06.000 align:start position:0%
bloating and gut health
`;
    expect(captionText(rolling, 'vtt')).toBe(
      'so today I want to talk about\nbloating and gut health',
    );
  });

  it('decodes numeric entities and leaves unknown ones alone', () => {
    const vtt = 'WEBVTT\n\n00:01.000 --> 00:02.000\ncaf&#233; &#x2014; 5 &lt; 6 &bogus;\n';
    expect(captionText(vtt, 'vtt')).toBe('café — 5 < 6 &bogus;');
  });

  it('returns TXT as it is, without the byte-order mark and with LF line ends', () => {
    const text = '\uFEFFI was bloated.\r\nNow I am not. <not a tag>\r\n';
    expect(captionText(text, 'txt')).toBe('I was bloated.\nNow I am not. <not a tag>');
  });

  it('gives empty text for a file with no cues', () => {
    expect(captionText('WEBVTT\n\nNOTE nothing here\n', 'vtt')).toBe('');
    expect(captionText('', 'srt')).toBe('');
  });
});

describe('captionFormatOf', () => {
  it.each([
    ['clip.srt', 'srt'],
    ['clip.en.VTT', 'vtt'],
    ['notes.TXT', 'txt'],
    ['clip.mp4', undefined],
    ['srt', undefined],
  ])('reads %s as %s', (filename, format) => {
    expect(captionFormatOf(filename)).toBe(format);
  });
});
