// Keeps several orbit cameras on the same view: whichever the user moves publishes, the others follow.
export type Vec3 = [number, number, number];
export type CamState = { position: Vec3; target: Vec3 };

export class CameraSync {
  private subs = new Map<string, (s: CamState) => void>();
  last: CamState | null = null;

  publish(from: string, state: CamState): void {
    this.last = state;
    for (const [id, fn] of this.subs) if (id !== from) fn(state);
  }

  subscribe(id: string, fn: (s: CamState) => void): () => void {
    this.subs.set(id, fn);
    return () => {
      if (this.subs.get(id) === fn) this.subs.delete(id);
    };
  }
}
