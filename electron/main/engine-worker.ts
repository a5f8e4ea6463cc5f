// Entry of the engine utility process (bundled to out/main/engine-worker.cjs and started with
// utilityProcess.fork). The same service as engine/host/worker.ts, which uses top-level await and so
// cannot be bundled as CommonJS; this entry serves it without one. No Electron import: the utility
// process reaches its parent through the global process.parentPort.
import { electronParentPort, serve, workerOptions } from '../../engine/host/port.ts';

const port = electronParentPort();
if (!port) {
  process.stderr.write(
    'engine worker: no process.parentPort; this file runs in an Electron utility process\n',
  );
  process.exit(2);
}
serve(port, workerOptions(process.argv.slice(2), process.env)).catch((err: unknown) => {
  process.stderr.write(`engine worker: could not start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
