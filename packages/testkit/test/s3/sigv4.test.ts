import { describe, expect, it } from 'vitest';
import { parseAmzDate, sigV4Signature } from '../../src/s3/sigv4';

// The example of AWS's "Authenticating Requests: Using Query Parameters (SigV4)" page.
const EXAMPLE = {
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  rawQuery:
    'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
};

describe('sigV4Signature', () => {
  it("reproduces AWS's presigned GET example", () => {
    const signature = sigV4Signature(
      {
        method: 'GET',
        rawPath: '/test.txt',
        rawQuery: EXAMPLE.rawQuery,
        headers: { host: 'examplebucket.s3.amazonaws.com' },
      },
      {
        secretAccessKey: EXAMPLE.secretAccessKey,
        amzDate: '20130524T000000Z',
        scope: { date: '20130524', region: 'us-east-1', service: 's3' },
        signedHeaders: ['host'],
        payloadHash: 'UNSIGNED-PAYLOAD',
        excludeQuery: ['X-Amz-Signature'],
      },
    );
    expect(signature).toBe('aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404');
  });

  it('parses X-Amz-Date', () => {
    expect(parseAmzDate('20130524T000000Z')).toBe(Date.UTC(2013, 4, 24));
    expect(parseAmzDate('2013-05-24')).toBeNaN();
  });
});
