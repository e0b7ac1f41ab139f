// Tests load the provider package the program loads (program/provider.ts): build it from provider/ first
// when it is stale, as the program does, so no test runs an older build.
import { buildImplementationPackage } from '../../provider/engine/compiled-package';

buildImplementationPackage();
