/**
 * The project brings Node 24 as an npm dependency. `npm ci --ignore-scripts` leaves it
 * unlinked and npm then silently runs the machine's older Node; refuse to start on it.
 */
export function assertNodeVersion(): void {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 24) {
    console.error(
      `lapor needs Node.js 24 or newer, but this is ${process.version}. ` +
        'Run it through npm (npm start, npm test), which uses the Node 24 that npm install brings; ' +
        'if that is broken, run `npm rebuild node`.',
    );
    process.exit(1);
  }
}
