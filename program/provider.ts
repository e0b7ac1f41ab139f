/**
 * The provider as every other Pulumi program has it: the package `@stripe-issuing/provider` from
 * `node_modules` (docs/own-program.md), not these sources. Run from this repository's sources, the
 * package there is rebuilt first when `provider/` changed (provider/engine/compiled-package.ts), so a
 * `pulumi up` always runs the code in `provider/`. The type checker reads `provider/index.ts` for it
 * (tsconfig.json, `paths`).
 */
import { buildImplementationPackage } from '../provider/engine/compiled-package';

if (__filename.endsWith('.ts')) buildImplementationPackage();

export * from '@stripe-issuing/provider';
