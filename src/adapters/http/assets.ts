import { fileURLToPath } from 'node:url';
import express, { type RequestHandler } from 'express';

/** The pages' hand-written CSS and scripts in `public/`; the same relative path works from src/ and dist/. */
export const publicDir = fileURLToPath(new URL('../../../public/', import.meta.url));

export function assets(): RequestHandler {
  return express.static(publicDir, { index: false, fallthrough: true, maxAge: 0 });
}
