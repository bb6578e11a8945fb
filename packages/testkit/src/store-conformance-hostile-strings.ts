import { describe, expect, it } from 'vitest';
import {
  makeBucket,
  makeCategorization,
  makeSession,
  makeTenant,
  makeVideo,
  uniqueId,
} from './builders';
import { expectErrorCode, expectOk } from './result-assertions';
import type { StoreConformanceContext } from './store-conformance-context';

/** Strings that break naive SQL, JSON, Unicode or trimming; none holds NUL or a lone surrogate. */
export const HOSTILE_STRINGS: readonly string[] = [
  `O'Brien's "quoted" \\ backslash \\' \\" \\\\`,
  `'); DROP TABLE buckets;--`,
  `" OR "1"="1`,
  `' OR '1'='1' --`,
  `%_*?[]{}()$^|+.\\d LIKE and regex metacharacters`,
  `emoji 🎬🔥 family 👩‍👩‍👧‍👦 flag 🇯🇵 thumbs 👍🏽`,
  `combining e\u0301 a\u0308 n\u0303 Z\u0351\u0358\u0361a\u036b\u0350l\u0314g\u0313o`,
  `RTL مرحبا بالعالم שלום עולם \u202ebackwards\u202c`,
  `white\tspace\nnew line\r\nCRLF  double \u00a0nbsp \u200bzero-width`,
  `  leading and trailing spaces  `,
  `null NULL undefined [] {} "" ''`,
  `{"json":[1,2,{"nested":"yes"}]} ["x","y"]`,
  `ｆｕｌｌ ｗｉｄｔｈ ﬁ ligature ㎏ Ⅻ`,
  `astral 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟘𝟙𝟚 𠜎𠜱`,
  `<script>alert('x')</script> &amp; &lt;`,
  `\u0001\u001f\u007f control characters`,
];

/** About 10,000 code points of every hostile string repeated, cut on a code point boundary. */
export const LONG_HOSTILE_TEXT: string = Array.from(HOSTILE_STRINGS.join(' | ').repeat(40))
  .slice(0, 10_000)
  .join('');

const cases = HOSTILE_STRINGS.map((text, index) => [index, text] as const);

export function describeHostileStringConformance(context: StoreConformanceContext): void {
  describe('hostile strings', () => {
    it.each(cases)(
      'keeps hostile string #%i unchanged in every bucket field',
      async (_index, text) => {
        const { orgId, productId, scope } = makeTenant();
        const bucket = makeBucket({
          orgId,
          productId,
          name: text,
          bestFor: text,
          angle: text,
          avatar: text,
          painPoints: [text, '', text.toUpperCase()],
          solutionMechanism: [text],
          keyCopyHooks: ['plain', text],
        });

        expect(await expectOk(context.store().buckets.insert(bucket))).toEqual(bucket);
        expect(await expectOk(context.store().buckets.get(scope, bucket.id))).toEqual(bucket);
        expect(await expectOk(context.store().buckets.list(scope, { productId }))).toEqual([
          bucket,
        ]);
      },
    );

    it.each(cases)(
      'keeps hostile string #%i unchanged in every video field',
      async (_index, text) => {
        const { orgId, scope } = makeTenant();
        const video = makeVideo({
          orgId,
          title: text,
          filename: text,
          blobKey: text,
          mimeType: text,
          visibility: 'public',
          productCategory: text,
        });

        expect(await expectOk(context.store().videos.insert(video))).toEqual(video);
        expect(await expectOk(context.store().videos.get(scope, video.id))).toEqual(video);
        const listed = await expectOk(context.store().videos.listPublic({ productCategory: text }));
        expect(listed.filter((found) => found.id === video.id)).toEqual([video]);
        await expectOk(context.store().videos.update(scope, video.id, { title: `${text}!` }));
        expect((await expectOk(context.store().videos.list(scope)))[0]?.title).toBe(`${text}!`);
      },
    );

    it.each(cases)(
      'keeps hostile string #%i unchanged in every categorization field',
      async (_index, text) => {
        const { orgId, productId, scope } = makeTenant();
        const session = makeSession({ orgId, productId });
        await expectOk(context.store().categorizationSessions.insert(session));
        const row = makeCategorization({
          orgId,
          productId,
          sessionId: session.id,
          filename: text,
          bucketName: text,
          reasoning: text,
          summary: text,
          transcript: text,
          errorMessage: text,
          analysis: { [text]: text, list: [text, { [text]: [text] }] },
          isUploaded: true,
        });

        expect(await expectOk(context.store().categorizations.insert(row))).toEqual(row);
        expect(await expectOk(context.store().categorizations.get(scope, row.id))).toEqual(row);
        expect(
          await expectOk(context.store().categorizations.listUploaded(scope, { productId })),
        ).toEqual([row]);
      },
    );

    it('keeps ~10,000-character texts and list items unchanged', async () => {
      const { orgId, productId, scope } = makeTenant();
      const bucket = makeBucket({
        orgId,
        productId,
        bestFor: LONG_HOSTILE_TEXT,
        angle: LONG_HOSTILE_TEXT,
        avatar: LONG_HOSTILE_TEXT,
        painPoints: [LONG_HOSTILE_TEXT, LONG_HOSTILE_TEXT],
        solutionMechanism: [LONG_HOSTILE_TEXT],
        keyCopyHooks: [LONG_HOSTILE_TEXT],
      });
      const session = makeSession({ orgId, productId });
      const row = makeCategorization({
        orgId,
        productId,
        sessionId: session.id,
        reasoning: LONG_HOSTILE_TEXT,
        summary: LONG_HOSTILE_TEXT,
        transcript: LONG_HOSTILE_TEXT.repeat(5),
        errorMessage: LONG_HOSTILE_TEXT,
        analysis: { raw: LONG_HOSTILE_TEXT },
      });
      await expectOk(context.store().buckets.insert(bucket));
      await expectOk(context.store().categorizationSessions.insert(session));
      await expectOk(context.store().categorizations.insert(row));

      expect(await expectOk(context.store().buckets.get(scope, bucket.id))).toEqual(bucket);
      expect(await expectOk(context.store().categorizations.get(scope, row.id))).toEqual(row);
    });

    it('updates texts to each hostile string unchanged', async () => {
      const { orgId, productId, scope } = makeTenant();
      const bucket = makeBucket({ orgId, productId });
      await expectOk(context.store().buckets.insert(bucket));

      for (const text of HOSTILE_STRINGS) {
        const patch = { name: text, angle: text, painPoints: [text], updatedAt: bucket.updatedAt };
        await expectOk(context.store().buckets.update(scope, bucket.id, patch));
        const stored = await expectOk(context.store().buckets.get(scope, bucket.id));
        expect([stored.name, stored.angle, stored.painPoints]).toEqual([text, text, [text]]);
      }
    });

    it('uses ids holding quotes, backslashes and unicode as plain keys', async () => {
      const suffix = uniqueId('');
      const orgId = `org'"\\;-- 🎬${suffix}`;
      const productId = `product' OR '1'='1${suffix}`;
      const scope = { orgId };
      const bucket = makeBucket({
        orgId,
        productId,
        id: `bucket'); DROP TABLE buckets;--${suffix}`,
      });
      const session = makeSession({ orgId, productId, id: `session"\\${suffix}` });
      const row = makeCategorization({
        orgId,
        productId,
        sessionId: session.id,
        id: `row\u202e${suffix}`,
        isUploaded: true,
      });
      await expectOk(context.store().buckets.insert(bucket));
      await expectOk(context.store().categorizationSessions.insert(session));
      await expectOk(context.store().categorizations.insert(row));

      expect(await expectOk(context.store().buckets.get(scope, bucket.id))).toEqual(bucket);
      expect(await expectOk(context.store().buckets.list(scope, { productId }))).toEqual([bucket]);
      expect(
        await expectOk(context.store().categorizations.listBySession(scope, session.id)),
      ).toEqual([row]);
      expect(
        await expectOk(
          context.store().categorizations.setUploaded(scope, [row.id], false, row.updatedAt),
        ),
      ).toBe(1);
      await expectOk(context.store().buckets.delete(scope, bucket.id));
      await expectErrorCode(context.store().buckets.get(scope, bucket.id), 'NOT_FOUND');
    });

    it('treats injection attempts in lookups as plain values that match nothing', async () => {
      const { orgId, productId, scope } = makeTenant();
      await expectOk(context.store().buckets.insert(makeBucket({ orgId, productId })));
      await expectOk(context.store().videos.insert(makeVideo({ orgId })));
      const session = makeSession({ orgId, productId });
      await expectOk(context.store().categorizationSessions.insert(session));
      await expectOk(
        context
          .store()
          .categorizations.insert(makeCategorization({ orgId, productId, sessionId: session.id })),
      );
      const injection = `' OR '1'='1`;

      await expectErrorCode(context.store().buckets.get(scope, injection), 'NOT_FOUND');
      expect(await expectOk(context.store().videos.findBySha256(scope, injection))).toBeNull();
      expect(
        await expectOk(
          context.store().categorizations.listBySession(scope, `${session.id}' OR '1'='1`),
        ),
      ).toEqual([]);
      expect(
        await expectOk(
          context.store().buckets.list(scope, { productId: `${productId}' OR '1'='1` }),
        ),
      ).toEqual([]);
      expect(
        await expectOk(
          context.store().categorizations.setUploaded(scope, [injection], true, session.createdAt),
        ),
      ).toBe(0);
    });
  });
}
