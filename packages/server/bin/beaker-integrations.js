#!/usr/bin/env node
// Committed entry point: npm links bins before `prepare` builds dist/, so
// the link must point at a file that exists in a fresh checkout. It runs the
// bundle that `npm run build` writes (see scripts/bundle.mjs).
import '../dist/beaker-integrations.mjs';
