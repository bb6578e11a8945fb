import { existsSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { notFoundError } from '@vbuckets/core';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { sendProblem } from './problem';

/** Vite writes content-hashed files under `assets/`: a new build gives them new names. */
const HASHED_ASSETS = `assets${sep}`;
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The page loads only its own scripts and styles and talks only to this host. */
const PAGE_POLICY = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const isFileRequest = (request: Request) =>
  (request.method === 'GET' || request.method === 'HEAD') && !request.path.startsWith('/api/');

/** A browser opening a page (`/`, `/buckets`): not a file (a missing `.js` must not get HTML). */
const isPageRequest = (request: Request) =>
  isFileRequest(request) && extname(request.path) === '' && request.accepts('html') !== false;

/**
 * Serves the built dashboard: its files as they are (hashed assets cached for good, the rest
 * revalidated), and `index.html` for any other page a browser asks for, so a bookmarked URL
 * opens the app. API paths never reach it: an unknown `/api/...` stays a problem 404.
 */
export function webDashboard(webRoot: string): RequestHandler[] {
  const files = express.static(webRoot, {
    index: false,
    redirect: false,
    setHeaders: (response, path) => {
      const hashed = relative(webRoot, path).startsWith(HASHED_ASSETS);
      response.setHeader('Cache-Control', hashed ? IMMUTABLE : 'no-cache');
      if (path.endsWith('.html')) response.setHeader('Content-Security-Policy', PAGE_POLICY);
    },
  });
  const index = join(webRoot, 'index.html');
  return [
    (request, response, next) => (isFileRequest(request) ? files(request, response, next) : next()),
    (request: Request, response: Response, next) => {
      if (!isPageRequest(request)) {
        next();
        return;
      }
      // Checked per request: building the web package makes the page appear without a restart.
      if (!existsSync(index)) {
        sendProblem(
          response,
          notFoundError(
            'The web dashboard is not built: run `pnpm build` at the repository root (or `pnpm --filter @vbuckets/example-web build`)',
          ),
        );
        return;
      }
      response.setHeader('Cache-Control', 'no-cache');
      response.setHeader('Content-Security-Policy', PAGE_POLICY);
      response.sendFile(index, { cacheControl: false }, (error) => {
        if (error !== undefined && !response.headersSent) next(error);
      });
    },
  ];
}
