// Stage-1 occupancy previews while sampling runs. The pipeline does not hand out the latent mid-loop,
// but every ss_denoiser call receives it as `x_shape`; this SessionCache remembers the latest one and,
// when asked, runs the ss_decoder on it before the next denoiser call (serially, so sessions are never
// used concurrently). Previews are bounded: at most `maxPreviews` per run, and skipped whenever decoding
// them has cost more than `budget` of the stage-1 time so far.
import type * as ort from 'onnxruntime-node';
import { occupiedCoords } from '../geometry/occupancy.ts';
import { SessionCache } from '../pack/sessions.ts';
import type { StageName } from '../pack/manifest.ts';
import { decodeOccupancy } from '../stages/stage1.ts';

export type PreviewSink = (step: number, res: number, coords: Int32Array) => void;

export class PreviewSessions extends SessionCache {
  private sink: PreviewSink | null = null;
  private wanted: number | null = null;
  private spentMs = 0;
  private startedMs = 0;
  private every = 1;
  /** Test hook: sleep this long before every network call (makes a run slow enough to interrupt). */
  delayMs = 0;

  /** Starts preview bookkeeping for one run; `sink` null turns previews off. */
  begin(sink: PreviewSink | null, steps: number, maxPreviews = 6): void {
    this.sink = sink;
    this.wanted = null;
    this.spentMs = 0;
    this.startedMs = performance.now();
    this.every = Math.max(1, Math.ceil(steps / maxPreviews));
  }

  end(): void {
    this.sink = null;
    this.wanted = null;
  }

  /** Called on stage-1 progress: `done` steps are finished. */
  stepDone(done: number, of: number, budget = 0.15): void {
    if (!this.sink || done >= of || done % this.every !== 0) return;
    if (this.spentMs > budget * (performance.now() - this.startedMs)) return;
    this.wanted = done;
  }

  override async run(
    stage: StageName,
    feeds: Record<string, ort.Tensor>,
  ): Promise<Record<string, ort.Tensor>> {
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (stage === 'ss_denoiser' && this.wanted !== null && this.sink) {
      const step = this.wanted;
      this.wanted = null;
      const x = feeds.x_shape?.data;
      if (x instanceof Float32Array) await this.preview(step, Float32Array.from(x));
    }
    return super.run(stage, feeds);
  }

  /** Emits the occupancy of a final logits grid (free: the pipeline decoded it anyway). */
  emitFinal(step: number, logits: Float32Array): void {
    const m = this.pack.manifest;
    this.sink?.(step, m.ss.occupancyRes, occupiedCoords(logits, m.ss.occupancyRes, m.ss.occupancyThreshold));
  }

  private async preview(step: number, shape: Float32Array): Promise<void> {
    const t = performance.now();
    const m = this.pack.manifest;
    const logits = await decodeOccupancy(this, shape);
    const coords = occupiedCoords(logits, m.ss.occupancyRes, m.ss.occupancyThreshold);
    this.spentMs += performance.now() - t;
    this.sink?.(step, m.ss.occupancyRes, coords);
  }
}
