// The engine worker as an Electron utility process, behind engine/host/supervisor.ts's WorkerHandle:
// the supervisor validates, forwards, fails in-flight requests on a crash, restarts the worker, refills
// it with the open photos and finished runs, and broadcasts 'engine-restarted'.
import type { UtilityProcess } from 'electron';
import type { WorkerExit, WorkerHandle } from '../../engine/host/supervisor.ts';

export type UtilityForkOptions = {
  /** The bundled worker (out/main/engine-worker.cjs). */
  entry: string;
  /** --settings-dir=…, --resources-dir=… (engine/host/port.ts workerOptions). */
  args: string[];
  env?: NodeJS.ProcessEnv;
  log?: (message: string) => void;
};

type Fork = (modulePath: string, args: string[], options: Electron.ForkOptions) => UtilityProcess;

export function utilityProcessSpawner(fork: Fork, opts: UtilityForkOptions): () => WorkerHandle {
  const log = opts.log ?? (() => {});
  return () => {
    const child = fork(opts.entry, opts.args, {
      serviceName: 'Fast-SAM3D Engine',
      stdio: 'inherit',
      env: opts.env,
    });
    child.on('error', (type, location) => log(`engine process fatal error: ${type} at ${location}`));
    return {
      get pid() {
        return child.pid;
      },
      post: (msg) => {
        // postMessage on an exited utility process throws; the supervisor fails the request itself.
        if (child.pid !== undefined) child.postMessage(msg);
      },
      onMessage: (cb) => void child.on('message', cb),
      onExit: (cb: (info: WorkerExit) => void) =>
        void child.once('exit', (code) => cb({ code, signal: null })),
      kill: () => void child.kill(),
    };
  };
}
