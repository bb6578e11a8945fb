// One server of the api-throughput benchmark, in its own process so that autocannon (in the
// parent) does not share its event loop. `sdk`: the express example's `createApp` over the
// built packages, seeded through the SDK (20 buckets; one session of N categorization rows by
// the store's bulk insert). `bare`: a bare Express 5 app answering the same JSON from memory.
// `stub`: `createApp` with the SDK's buckets list and the token check answering constants.
// `driver`: a bare Express route reading the buckets with the raw driver from the database `sdk`
// seeded, what any host over that database pays.
// Prints one JSON line once it listens, and closes on SIGTERM.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createJwtActorResolver, createVBuckets } from '@vbuckets/core';
import { nodeSha256 } from '@vbuckets/core/node';
import { createApp } from '@vbuckets/example-express';
import { createLocalBlobStore } from '@vbuckets/fs';
import { createPostgresStore } from '@vbuckets/storage-postgres';
import { createSqliteStore } from '@vbuckets/storage-sqlite';
import Database from 'better-sqlite3';
import express from 'express';
import { okAsync } from 'neverthrow';
import pg from 'pg';

const settings = JSON.parse(process.argv[2] ?? '{}');
const orgId = 'bench-org';
const productId = 'bench-product';
const sessionId = 'bench-session';
const issuer = 'vbuckets-bench';
const audience = 'vbuckets-api';

const unwrap = (result) => {
  if (result.isErr()) throw result.error;
  return result.value;
};

/** An HS256 token, as the host's JWT resolver checks it (signature, issuer, audience, expiry). */
function signToken(secret) {
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({
    sub: 'bench-user',
    org_id: orgId,
    roles: ['admin'],
    iss: issuer,
    aud: audience,
    iat: now,
    exp: now + 12 * 3600,
  })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

async function seed(vbuckets, store) {
  const scope = { orgId };
  const buckets = [];
  for (let index = 0; index < settings.buckets; index++) {
    buckets.push(
      unwrap(
        await vbuckets.buckets.create(scope, {
          productId,
          name: `Bucket ${index + 1}`,
          bestFor: 'Creators who talk to camera in the first second',
          angle: 'Problem, agitation, product as the relief',
          avatar: 'Women 25-40 with a busy schedule',
          painPoints: ['bloating after meals', 'low energy at 3 pm'],
          solutionMechanism: ['prebiotic fibre', 'no added sugar'],
          keyCopyHooks: ['I stopped feeling bloated in a week', 'my 3 pm crash is gone'],
        }),
      ),
    );
  }
  const createdAt = '2026-01-01T00:00:00.000Z';
  const rows = Array.from({ length: settings.rows }, (_, index) => {
    const bucket = index % 4 === 0 ? undefined : buckets[index % buckets.length];
    const at = new Date(Date.parse(createdAt) + index).toISOString();
    return {
      id: `row-${String(index).padStart(5, '0')}`,
      orgId,
      productId,
      sessionId,
      videoId: null,
      filename: `clip-${index}.mp4`,
      bucketId: bucket?.id ?? null,
      bucketName: bucket?.name ?? null,
      confidence: bucket === undefined ? 0 : 0.5 + (index % 50) / 100,
      reasoning: 'The first line names the pain point the bucket is about.',
      summary: 'A creator shows the product after describing an afternoon slump.',
      transcript: 'Every day at three I used to need a nap, until I tried this.',
      analysis: { hook: 'afternoon slump', topics: ['energy', 'gut'], frame: index % 30 },
      status: bucket === undefined ? 'analyzed' : 'categorized',
      errorMessage: null,
      isUploaded: index % 5 === 0,
      createdAt: at,
      updatedAt: at,
    };
  });
  unwrap(
    await store.transaction((tx) =>
      tx.categorizationSessions
        .insert({ id: sessionId, orgId, productId, createdAt })
        .andThen(() => tx.categorizations.insertMany(rows)),
    ),
  );
}

async function sdkServer() {
  const store = unwrap(
    settings.store === 'sqlite'
      ? await createSqliteStore({ path: settings.sqlitePath })
      : await createPostgresStore({
          connectionString: settings.databaseUrl,
          schema: settings.schema,
        }),
  );
  const blobs = createLocalBlobStore({ root: settings.blobRoot });
  const vbuckets = unwrap(createVBuckets({ store, blobs, sha256: nodeSha256 }));
  await seed(vbuckets, store);
  const secret = 'a-benchmark-secret-of-at-least-32-bytes';
  const auth = unwrap(createJwtActorResolver({ secret, issuer, audience }));
  const app = createApp({ vbuckets, auth, blobs });
  return { app, token: signToken(secret), close: () => vbuckets.close() };
}

/** The host with the SDK and the token check replaced by constant answers: what the host alone costs. */
function stubServer() {
  const bodies = JSON.parse(readFileSync(settings.bodiesFile, 'utf8'));
  const actor = { userId: 'bench-user', orgId, roles: ['admin'] };
  const auth = { resolve: () => okAsync(actor), resolveAuthorization: () => okAsync(actor) };
  const vbuckets = { buckets: { list: () => okAsync(bodies['/api/v1/buckets']) } };
  // A token shaped like the real one, so the host's token cache keeps it as it keeps ours.
  const token = signToken('a-benchmark-secret-of-at-least-32-bytes');
  return { app: createApp({ vbuckets, auth }), token, close: async () => {} };
}

function bareServer() {
  const bodies = JSON.parse(readFileSync(settings.bodiesFile, 'utf8'));
  const app = express();
  // The same settings as createApp, so the two differ by what the route does.
  app.disable('x-powered-by');
  app.set('etag', false);
  for (const [path, body] of Object.entries(bodies)) {
    app.get(path, (_request, response) => {
      response.json(body);
    });
  }
  return { app, token: '', close: async () => {} };
}

/** A bucket row as both drivers return it, in the SDK's shape (JSON arrays parsed, ISO times). */
function bucketOfRow(row) {
  const list = (value) => (typeof value === 'string' ? JSON.parse(value) : value);
  const time = (value) => (value instanceof Date ? value.toISOString() : value);
  return {
    id: row.id,
    orgId: row.org_id,
    productId: row.product_id,
    name: row.name,
    bestFor: row.best_for,
    angle: row.angle,
    avatar: row.avatar,
    painPoints: list(row.pain_points),
    solutionMechanism: list(row.solution_mechanism),
    keyCopyHooks: list(row.key_copy_hooks),
    displayOrder: Number(row.display_order),
    createdAt: time(row.created_at),
    updatedAt: time(row.updated_at),
  };
}

/**
 * What the database alone costs a host: a bare Express route reading the org's buckets from the
 * database the `sdk` server seeded, with the raw driver (a prepared better-sqlite3 statement, or
 * a named `pg` statement on a pool), mapping them as the store does, without auth.
 */
function driverServer() {
  const text = (placeholder) =>
    `select * from buckets where org_id = ${placeholder} order by display_order, name_key, id`;
  let read;
  let close;
  if (settings.store === 'sqlite') {
    const database = new Database(settings.sqlitePath, { readonly: true });
    const statement = database.prepare(text('?'));
    read = async () => statement.all(orgId);
    close = async () => database.close();
  } else {
    const pool = new pg.Pool({
      connectionString: settings.databaseUrl,
      options: `-c search_path=${settings.schema}`,
    });
    read = async () =>
      (await pool.query({ name: 'bench-buckets', text: text('$1'), values: [orgId] })).rows;
    close = () => pool.end();
  }
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get('/api/v1/buckets', (_request, response, next) => {
    read().then((rows) => response.json(rows.map(bucketOfRow)), next);
  });
  return { app, token: '', close };
}

const servers = { sdk: sdkServer, stub: stubServer, bare: bareServer, driver: driverServer };
const { app, token, close } = await servers[settings.mode]();
const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  process.stdout.write(
    `${JSON.stringify({
      url: `http://127.0.0.1:${port}`,
      token,
      paths: {
        buckets: '/api/v1/buckets',
        results: `/api/v1/sessions/${sessionId}/results?limit=${settings.rows}`,
      },
    })}\n`,
  );
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => {
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
});
