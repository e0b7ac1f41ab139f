/**
 * Stack traces that map only TypeScript frames to their sources.
 *
 * `@pulumi/pulumi` reads `new Error().stack` for every promise it makes (`runtime/debuggable.js`,
 * `debuggablePromise`: several per resource property) and for every resource (`Resource.callsites`).
 * Under ts-node each read runs its source-map support over every frame, mapping `@pulumi/pulumi`'s own
 * JavaScript to its TypeScript sources through their `.js.map` files: in a V8 profile of the program
 * under Pulumi's mocks, 555 resources, that was 4 s of its 7.4 s of CPU (docs/benchmarks.md, issue 23).
 * Only the program's own `.ts` frames need mapping (their lines move in transpiled code); JavaScript
 * frames are shown where they are, as Node shows them without ts-node. Errors keep TypeScript positions.
 */
function mapOnlyTypeScriptFrames(): void {
  const mapAll = Error.prepareStackTrace;
  if (mapAll === undefined) return; // not under ts-node: nothing maps frames
  let wrapCallSite: (frame: NodeJS.CallSite) => NodeJS.CallSite;
  try {
    // The copy ts-node installed, which knows the transpiled sources it holds in memory.
    const tsNode = require.resolve('ts-node');
    ({ wrapCallSite } = require(require.resolve('@cspotcode/source-map-support', { paths: [tsNode] })));
  } catch {
    return; // another hook than ts-node's: leave it as it is
  }
  Error.prepareStackTrace = (error, frames) =>
    `${error}${frames.map((frame) => `\n    at ${frame.getFileName()?.endsWith('.ts') ? wrapCallSite(frame) : frame}`).join('')}`;
}

mapOnlyTypeScriptFrames();
