// Engine worker entry: an Electron utility process (utilityProcess.fork of the bundled file) or a Node
// child process (supervisor.ts forks worker-entry.mjs, which loads this through tsx).
import { rmSync } from 'node:fs';
import { electronParentPort, nodeChildPort, serve, workerOptions } from './port.ts';

const port = electronParentPort() ?? nodeChildPort();
if (!port) {
  process.stderr.write('engine worker: no parent port; start it through the supervisor or utilityProcess\n');
  process.exit(2);
}
const opts = workerOptions(process.argv.slice(2), process.env);
const service = await serve(port, opts);

/** Releases sessions and removes scratch files, then exits. */
function stop(): void {
  void service.dispose().finally(() => {
    if (opts.tempDir) rmSync(opts.tempDir, { recursive: true, force: true });
    process.exit(0);
  });
}
// Ctrl+C reaches the whole process group; the parent decides when the engine stops.
process.on('SIGINT', () => undefined);
process.once('SIGTERM', stop);
// The parent is gone: nobody can read our answers any more.
process.on('disconnect', stop);
