#!/usr/bin/env node
// The npm `clicktrail` command: the same command-line logic as the native binary (it lives in
// the core), with Node reading the files the command asks for.
import { readFileSync } from 'node:fs';
import { core } from './node-core.js';

const args = process.argv.slice(2);
const plan = core.cliPlan(args);
const files = {};
for (const path of plan.readFiles) {
  try {
    files[path] = path === '-' ? readFileSync(0) : readFileSync(path);
  } catch {
    // Left out: the core reports the unreadable file by name.
  }
}
const secret = plan.wantsEnvSecret ? process.env.CLICKTRAIL_SECRET : undefined;
const result = core.cliRun(args, files, secret);
const out = Buffer.from(result.out.slice());
process.stderr.write(result.err);
process.stdout.write(out, () => process.exit(result.exitCode));
