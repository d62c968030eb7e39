import * as fs from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';

/*
 * The handler bundles the build writes into assets/ and the npm package ships. Shared by
 * test/structure (which holds them to their budget) and bench/ (which prints their sizes).
 */

/** Where the build writes handler bundles: one directory per bundle, each with an `index.js`. */
export const HANDLER_ASSETS = path.join(__dirname, '..', '..', 'assets', 'lambda');

/** What all handler bundles together may weigh, minified. */
export const BUNDLE_BUDGET_BYTES = 600 * 1000;

/**
 * Where the build writes the bundles of the functions the library ships for run time (from
 * lambda/runtime/, such as the participant token issuer), which only a stack that uses them
 * deploys: they are not handlers and have a budget of their own.
 */
export const RUNTIME_ASSETS = path.join(HANDLER_ASSETS, 'runtime');

/**
 * What the token issuer's bundle may weigh, minified: the SDK's core and its KMS, Secrets Manager
 * and IVS clients (one per signing mode, about 380 KB together) and a JWT library.
 */
export const TOKEN_ISSUER_BUDGET_BYTES = 450 * 1000;

/**
 * What the stage composer's bundle may weigh, minified: the SDK's core and its IVS and EventBridge
 * clients (about 335 KB together).
 */
export const COMPOSER_BUDGET_BYTES = 600 * 1024;

/**
 * What each of the rooms bundles (StageRooms' join function and janitor) may weigh, minified: the
 * join function is the token issuer's code and clients plus the DynamoDB client (about 430 KB).
 */
export const ROOMS_BUDGET_BYTES = 500 * 1000;

export interface HandlerBundle {
  /** Relative to the repository root, e.g. `assets/lambda/handler/index.js`. */
  readonly path: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

/** Every handler bundle the build wrote, with its minified and gzipped size. */
export function handlerBundles(): HandlerBundle[] {
  return bundles(HANDLER_ASSETS);
}

/** Every run-time function bundle the build wrote (see `RUNTIME_ASSETS`). */
export function runtimeBundles(): HandlerBundle[] {
  return bundles(RUNTIME_ASSETS);
}

function bundles(directory: string): HandlerBundle[] {
  return fs.readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(directory, entry.name, 'index.js'))
    .filter((file) => fs.existsSync(file))
    .map((file) => {
      const code = fs.readFileSync(file);
      return {
        path: path.relative(path.join(HANDLER_ASSETS, '..', '..'), file),
        bytes: code.length,
        gzipBytes: gzipSync(code, { level: 9 }).length,
      };
    });
}
