import * as path from 'node:path';

/** The repository root: everything the toolchain makes lives below it, so a clone is self-contained. */
export const PROJECT_ROOT = path.resolve(__dirname, '..');
/** Built or linked tools: pulumi, pulumi-language-nodejs, pulumi-resource-pulumi-nodejs, stripe-mock. */
export const TOOLCHAIN_DIR = path.join(PROJECT_ROOT, '.toolchain');
export const TOOLCHAIN_BIN = path.join(TOOLCHAIN_DIR, 'bin');
/** What `npm run setup` decided, read by every script that runs the CLI. */
export const TOOLCHAIN_MANIFEST = path.join(TOOLCHAIN_DIR, 'toolchain.json');
/** The Go wrapper module that pins the Pulumi CLI and stripe-mock versions. */
export const GO_MODULE_DIR = path.join(PROJECT_ROOT, 'toolchain');
/**
 * A second Go module for the tools of the team checks: actionlint (lints .github/workflows) and versitygw
 * (a real S3 server for the shared-state tests). It is separate so that their dependencies never move
 * the versions the Pulumi CLI is built with (versitygw needs a newer AWS SDK than Pulumi pins).
 */
export const CI_TOOLS_MODULE_DIR = path.join(GO_MODULE_DIR, 'ci-tools');
/** The embedded default backend: file state, a local PULUMI_HOME, used when the user chose no backend. */
export const EMBEDDED_PULUMI_DIR = path.join(PROJECT_ROOT, '.pulumi');
export const NODE_BIN_DIR = path.join(PROJECT_ROOT, 'node_modules', '.bin');
