// Test doubles for the shell's tests: an Electron UtilityProcess that runs a scripted engine worker.
import { EventEmitter } from 'node:events';

type Request = { type: 'request'; id: number; method: string; params: Record<string, unknown> };

let nextPid = 1000;

/** Answers like engine/host/port.ts: 'ready' once up, one response per request. */
export class FakeUtilityProcess extends EventEmitter {
  static all: FakeUtilityProcess[] = [];
  pid: number | undefined;
  readonly requests: Request[] = [];

  constructor(
    readonly modulePath: string,
    readonly args: string[],
    readonly options: unknown,
  ) {
    super();
    FakeUtilityProcess.all.push(this);
    setImmediate(() => {
      this.pid = nextPid++;
      this.emit('spawn');
      this.emit('message', { type: 'ready', pid: this.pid });
    });
  }

  postMessage(msg: unknown): void {
    if (this.pid === undefined) throw new Error('postMessage on a process that is not running');
    const req = msg as Request;
    this.requests.push(req);
    if (this.hangOn.has(req.method)) return;
    setImmediate(() => {
      if (this.pid === undefined) return; // crashed meanwhile: no answer
      this.emit('message', { type: 'response', id: req.id, ok: true, result: this.answer(req) });
    });
  }

  /** A request that never answers (the crash happens during it). */
  hangOn = new Set<string>();

  private answer(req: Request): unknown {
    switch (req.method) {
      case 'openImage':
        return { imageId: 'img-1', width: 4, height: 3, name: req.params.name };
      case 'restoreImage':
        return { imageId: req.params.imageId, width: 4, height: 3, name: req.params.name };
      default:
        return { method: req.method };
    }
  }

  /** The process dies (onnxruntime abort, OOM kill…). */
  crash(code = 134): void {
    this.pid = undefined;
    this.emit('exit', code);
  }

  kill(): boolean {
    if (this.pid === undefined) return false;
    this.crash(0);
    return true;
  }
}

export const forkFake = (modulePath: string, args: string[], options: unknown) =>
  new FakeUtilityProcess(modulePath, args, options);

export async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
