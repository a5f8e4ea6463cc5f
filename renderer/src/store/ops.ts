// The studio's actions: pure transitions plus the engine calls behind them. Components call only these.
import type { EngineClient, EngineEvent, Point, Settings } from '../client/api';
import type { ShellEvent } from '../client/shell';
import type { StudioEnv } from '../lib/env';
import { errorCode, errorLine, isCancel } from '../lib/errors';
import { sniffImageMime } from '../lib/mime';
import * as M from './misc-logic';
import * as O from './objects-logic';
import * as R from './runs-logic';
import { apply, type StudioStore } from './store';
import type { ExportSettings, KnobValue, StudioRun, StudioState, Toast, ViewerSettings } from './types';

export type ExportOptions = { format: 'glb' | 'ply'; scope: 'selected' | 'scene'; targetFaces?: number };

export type StudioOps = ReturnType<typeof createOps>;

export function createOps(store: StudioStore, client: EngineClient, env: StudioEnv) {
  const get = () => store.getState();
  const set = (f: (s: StudioState) => StudioState) => apply(store, f);
  const toast = (kind: Toast['kind'], message: string) => set((s) => M.pushToast(s, kind, message));
  /** Report a failed engine call; a crashed engine also marks the engine as restarting. */
  const fail = (what: string, e: unknown) => {
    if (errorCode(e) === 'engine-crashed') set(M.engineRestarting);
    toast('error', `${what}: ${errorLine(e)}`);
  };
  const cancelled = new Set<string>();

  async function connect(): Promise<void> {
    set((s) => ({ ...s, engine: { ...s.engine, status: 'connecting', error: null } }));
    try {
      const hello = await client.hello();
      set((s) => M.engineReady(s, hello));
    } catch (e) {
      set((s) => M.engineOffline(s, errorLine(e)));
    }
  }

  async function handleEvent(event: EngineEvent): Promise<void> {
    switch (event.type) {
      case 'progress':
        return set((s) => R.applyProgress(s, event.progress));
      case 'preview':
        return set((s) => R.applyPreview(s, event.preview));
      case 'warning':
        return toast('warning', event.message);
      case 'info':
        // Nothing to fix (e.g. 'auto' found no GPU): shown in the settings, not as a toast.
        return set((s) => ({ ...s, engineNote: event.message }));
      case 'engine-restarted':
        // The host refills the new engine with the photos and finished runs under the same ids, so
        // nothing here changes; runs that were in flight fail and say so.
        return set((s) => M.engineRestarted(s, event.reason, env.now()));
    }
  }

  function showPhoto(
    ref: { imageId: string; width: number; height: number; name: string },
    bytes: Uint8Array,
  ) {
    const mime = sniffImageMime(bytes, ref.name);
    const old = get().photo;
    if (old?.url) env.revokeUrl(old.url);
    const url = env.objectUrl(bytes, mime);
    set((s) => O.setPhoto({ ...s, workspace: 'edit' }, { ref, url, bytes, mime }));
  }

  async function openSample(name: string): Promise<void> {
    try {
      const { bytes, ...ref } = await client.openSample(name);
      showPhoto(ref, bytes);
    } catch (e) {
      fail('Could not open the sample', e);
    }
  }

  async function openBytes(name: string, bytes: Uint8Array): Promise<void> {
    try {
      const ref = await client.openImage(name, bytes);
      showPhoto(ref, bytes);
    } catch (e) {
      fail(`Could not open ${name}`, e);
    }
  }

  async function openFile(file: File): Promise<void> {
    if (file.type && !file.type.startsWith('image/')) {
      toast('error', `${file.name} is not an image`);
      return;
    }
    await openBytes(file.name, new Uint8Array(await file.arrayBuffer()));
  }

  /** Electron: the shell's Open dialog (false when there is no shell: use a file input). */
  async function openPhotoDialog(): Promise<boolean> {
    if (!env.shell) return false;
    try {
      const f = await env.shell.openPhoto();
      if (f) await openBytes(f.name, f.bytes);
    } catch (e) {
      fail('Could not open the photo', e);
    }
    return true;
  }

  async function segment(objectId: string): Promise<void> {
    const s = get();
    const obj = s.objects.find((o) => o.id === objectId);
    if (!obj || !s.photo) return;
    const seq = obj.segmentSeq;
    if (obj.points.length === 0) {
      set((x) => O.segmentFailed(x, objectId, seq));
      return;
    }
    try {
      const r = await client.segment(s.photo.ref.imageId, obj.points);
      set((x) =>
        O.applySegment(x, objectId, seq, {
          data: r.mask,
          width: r.width,
          height: r.height,
          source: 'clicks',
          method: r.method,
        }),
      );
    } catch (e) {
      set((x) => O.segmentFailed(x, objectId, seq));
      fail('Segmentation failed', e);
    }
  }

  /** A click on the photo, in image pixels. */
  function click(x: number, y: number, positive: boolean): Promise<void> {
    const point: Point = { x, y, positive };
    set((s) => O.addPoint(s, point, env.now()));
    return segment(get().selectedObjectId!);
  }

  function undo(): void {
    const id = get().selectedObjectId;
    if (id) set((s) => O.undo(s, id));
  }

  function clear(): void {
    const id = get().selectedObjectId;
    if (id) set((s) => O.clearObject(s, id));
  }

  async function importMaskFile(file: File): Promise<void> {
    await importMaskBytes(new Uint8Array(await file.arrayBuffer()));
  }

  /** Electron: the shell's Import Mask dialog (false when there is no shell). */
  async function importMaskDialog(): Promise<boolean> {
    if (!env.shell) return false;
    if (!get().photo) {
      toast('info', 'Open a photo first');
      return true;
    }
    try {
      const f = await env.shell.importMask();
      if (f) await importMaskBytes(f.bytes);
    } catch (e) {
      fail('Mask not imported', e);
    }
    return true;
  }

  async function importMaskBytes(png: Uint8Array): Promise<void> {
    const s = get();
    if (!s.photo) {
      toast('info', 'Open a photo first');
      return;
    }
    const objectId = s.selectedObjectId ?? (set(O.addObject), get().selectedObjectId!);
    try {
      const r = await client.importMask(s.photo.ref.imageId, png);
      set((x) =>
        O.importMask(x, objectId, {
          data: r.mask,
          width: r.width,
          height: r.height,
          source: 'import',
          method: 'import',
        }),
      );
    } catch (e) {
      fail('Mask not imported', e);
    }
  }

  function currentSpec(strategy?: string): R.RunSpec | null {
    const s = get();
    const obj = O.selectedObject(s);
    if (!s.photo || !obj) return null;
    const name = strategy ?? s.strategy;
    return {
      objectId: obj.id,
      strategy: name,
      knobs: M.effectiveKnobs(s, name),
      seed: s.seed,
      packId: s.settings?.activePack || undefined,
      maskGuide: s.maskGuide,
    };
  }

  /** Runs one spec to the end; resolves with the run as it finished (never throws). */
  async function execute(spec: R.RunSpec): Promise<StudioRun | null> {
    const s = get();
    const obj = s.objects.find((o) => o.id === spec.objectId);
    if (!s.photo || !obj?.mask) return null;
    const { state, id } = R.startRun(s, spec, env.now());
    set(() => state);
    try {
      const result = await client.run({
        imageId: s.photo.ref.imageId,
        mask: obj.mask.data,
        strategy: spec.strategy,
        knobs: spec.knobs,
        seed: spec.seed,
        packId: spec.packId,
        maskGuide: spec.maskGuide,
        runId: id,
      });
      set((x) => R.finishRun(x, id, result, env.now()));
    } catch (e) {
      const wasCancel = cancelled.has(id) || isCancel(e);
      set((x) => R.failRun(x, id, wasCancel ? 'Cancelled' : errorLine(e), wasCancel, env.now()));
      if (!wasCancel) fail('Run failed', e);
    } finally {
      cancelled.delete(id);
    }
    return R.runById(get(), id);
  }

  function canRun(): boolean {
    const s = get();
    if (R.runningRun(s)) return false;
    if (!s.photo) {
      toast('info', 'Open a photo first');
      return false;
    }
    if (!O.selectedObject(s)?.mask) {
      toast('info', 'Click the object in the photo first: there is no mask yet');
      return false;
    }
    return true;
  }

  async function run(): Promise<StudioRun | null> {
    const spec = currentSpec();
    if (!canRun() || !spec) return null;
    return execute(spec);
  }

  /** Full and an accelerated strategy on the same seed, then the compare view. */
  async function compareFullVsAccelerated(): Promise<void> {
    const s = get();
    const fast = acceleratedFor(s);
    const fullSpec = currentSpec('full');
    const fastSpec = currentSpec(fast);
    if (!canRun() || !fullSpec || !fastSpec) return;
    const a = R.findReusableRun(s, fullSpec) ?? (await execute(fullSpec));
    if (a?.status !== 'done') return;
    const b = R.findReusableRun(get(), fastSpec) ?? (await execute(fastSpec));
    if (b?.status !== 'done') return;
    set((x) => ({ ...M.setCompare(x, a.id, b.id), workspace: 'compare' }));
    await loadMetrics(a.id, b.id);
  }

  async function cancel(): Promise<void> {
    const r = R.runningRun(get());
    if (!r) return;
    cancelled.add(r.id);
    try {
      await client.cancel(r.engineRunId ?? r.id);
    } catch (e) {
      fail('Could not cancel', e);
    }
  }

  /**
   * Fidelity of B (candidate, e.g. accelerated) against A (reference, e.g. full): the engine's
   * metrics(candidate, reference), so MetricsResult.distances are per vertex of B's mesh.
   */
  async function loadMetrics(aId: string, bId: string): Promise<void> {
    const s = get();
    const a = R.runById(s, aId);
    const b = R.runById(s, bId);
    const key = M.metricsKey(aId, bId);
    if (!a?.engineRunId || !b?.engineRunId) return;
    const have = s.metrics[key];
    if (have && have.state !== 'failed') return;
    set((x) => M.metricsPending(x, key));
    try {
      const value = await client.metrics(b.engineRunId, a.engineRunId);
      set((x) => M.metricsDone(x, key, value));
    } catch (e) {
      set((x) => M.metricsFailed(x, key, errorLine(e)));
    }
  }

  async function exportRuns(opts: ExportOptions): Promise<boolean> {
    const s = get();
    const runs = opts.scope === 'scene' ? R.sceneRuns(s) : [R.viewRun(s)].filter((r) => r?.status === 'done');
    const ids = runs.map((r) => r?.engineRunId).filter((x): x is string => !!x);
    if (ids.length === 0) {
      toast('info', 'Nothing to export yet: 3Dfy an object first');
      return false;
    }
    try {
      const { bytes, suggestedName } = await client.export({
        runIds: ids,
        format: opts.format,
        scene: opts.scope === 'scene',
        targetFaces: opts.format === 'glb' ? opts.targetFaces : undefined,
      });
      if (env.shell) {
        // Electron: save dialog and an atomic write in the shell; null = the user cancelled.
        const name = await env.shell.saveFile(bytes, suggestedName, opts.format);
        if (name) toast('info', `Saved ${name}`);
        return !!name;
      }
      env.download(
        bytes,
        suggestedName,
        opts.format === 'glb' ? 'model/gltf-binary' : 'application/octet-stream',
      );
      return true;
    } catch (e) {
      fail('Export failed', e);
      return false;
    }
  }

  /** The export panel's action, with its current choices (also File › Export GLB…). */
  async function exportNow(patch: Partial<ExportSettings> = {}): Promise<boolean> {
    if (get().exporting) return false;
    set((s) => ({ ...s, exportSettings: { ...s.exportSettings, ...patch }, exporting: true }));
    const o = get().exportSettings;
    try {
      return await exportRuns({
        format: o.format,
        scope: o.scope,
        targetFaces: o.simplify ? o.faces : undefined,
      });
    } finally {
      set((s) => ({ ...s, exporting: false }));
    }
  }

  /** Pack list and settings again (a pack folder was added). */
  async function refreshHello(): Promise<void> {
    try {
      const hello = await client.hello();
      set((s) => M.engineReady(s, hello));
    } catch (e) {
      fail('Could not reload the model packs', e);
    }
  }

  /** Electron: folder dialog in the shell, which adds the folder to the engine's settings. */
  async function addPackFolder(): Promise<void> {
    if (!env.shell) return;
    try {
      const settings = await env.shell.addPackFolder();
      if (settings) await settingsChanged(settings);
    } catch (e) {
      fail('Pack folder not added', e);
    }
  }

  async function settingsChanged(settings: Settings): Promise<void> {
    set((s) => M.setSettings(s, settings));
    await refreshHello();
  }

  /** Browser mode: a pack folder typed as a path on the engine's machine. */
  async function addPackDir(dir: string): Promise<void> {
    const path = dir.trim();
    const current = get().settings;
    if (!path || !current) return;
    if (current.packDirs.includes(path)) return;
    try {
      const settings = await client.updateSettings({ packDirs: [...current.packDirs, path] });
      await settingsChanged(settings);
    } catch (e) {
      fail('Pack folder not added', e);
    }
  }

  /** What the desktop shell asks for: menu items and files chosen in its dialogs. */
  async function handleShellEvent(e: ShellEvent, focus: Element | null = null): Promise<void> {
    switch (e.type) {
      case 'file-opened':
        return e.kind === 'photo' ? openBytes(e.name, e.bytes) : importMaskBytes(e.bytes);
      case 'settings-changed':
        return settingsChanged(e.settings);
      case 'menu':
        if (e.action === 'export-glb') return void (await exportNow({ format: 'glb' }));
        if (e.action === 'open-settings') return set((s) => ({ ...s, settingsOpen: true }));
        // Edit › Undo while typing undoes the text, as the native item would.
        if (isTextField(focus)) return void document.execCommand?.('undo');
        return undo();
    }
  }

  async function updateSettings(patch: Partial<Settings>): Promise<void> {
    try {
      const settings = await client.updateSettings(patch);
      set((s) => M.setSettings(s, settings));
    } catch (e) {
      fail('Settings not saved', e);
    }
  }

  return {
    connect,
    handleEvent,
    handleShellEvent,
    openSample,
    openFile,
    openBytes,
    openPhotoDialog,
    click,
    undo,
    clear,
    importMaskFile,
    importMaskBytes,
    importMaskDialog,
    run,
    cancel,
    compareFullVsAccelerated,
    loadMetrics,
    exportRuns,
    exportNow,
    setExportSettings: (patch: Partial<ExportSettings>) =>
      set((s) => ({ ...s, exportSettings: { ...s.exportSettings, ...patch } })),
    updateSettings,
    refreshHello,
    addPackFolder,
    addPackDir,
    setSettingsOpen: (open: boolean) =>
      set((s) => (s.settingsOpen === open ? s : { ...s, settingsOpen: open })),
    /** Electron: an allow-listed link in the system browser (false without a shell). */
    openExternal: async (url: string) => {
      if (!env.shell) return false;
      try {
        return await env.shell.openExternal(url);
      } catch (e) {
        fail('Could not open the link', e);
        return true;
      }
    },
    hasShell: !!env.shell,
    addObject: () => set(O.addObject),
    removeObject: (id: string) => set((s) => O.removeObject(s, id)),
    selectObject: (id: string) => set((s) => O.selectObject(s, id)),
    setTool: (tool: StudioState['tool']) => set((s) => ({ ...s, tool })),
    setStrategy: (name: string) => set((s) => M.setStrategy(s, name)),
    setKnob: (name: string, value: KnobValue) => set((s) => M.setKnob(s, name, value)),
    resetKnobs: () => set(M.resetKnobs),
    setSeed: (seed: number) => set((s) => M.setSeed(s, seed)),
    setMaskGuide: (maskGuide: boolean) => set((s) => ({ ...s, maskGuide })),
    randomSeed: () => set((s) => M.setSeed(s, Math.floor(env.random() * 1_000_000))),
    reopenRun: (id: string) => set((s) => R.reopenRun(s, id)),
    removeRun: (id: string) => set((s) => R.removeRun(s, id)),
    toggleCompare: (id: string) => set((s) => M.toggleCompare(s, id)),
    setCompare: (a: string | null, b: string | null) => set((s) => M.setCompare(s, a, b)),
    swapCompare: () => set(M.swapCompare),
    setWorkspace: (workspace: StudioState['workspace']) => set((s) => ({ ...s, workspace })),
    setViewer: (patch: Partial<ViewerSettings>) => set((s) => ({ ...s, viewer: { ...s.viewer, ...patch } })),
    dismissToast: (id: number) => set((s) => M.dismissToast(s, id)),
    dismissRestart: () => set((s) => ({ ...s, restart: null })),
    toast,
  };
}

/** The accelerated side of "compare full vs accelerated": the current strategy, else fast-sam3d. */
export function acceleratedFor(s: StudioState): string {
  if (s.strategy !== 'full') return s.strategy;
  const names = s.engine.hello?.strategies.map((x) => x.name) ?? [];
  return names.includes(M.DEFAULT_STRATEGY)
    ? M.DEFAULT_STRATEGY
    : (names.find((n) => n !== 'full') ?? 'full');
}

function isTextField(el: Element | null): boolean {
  const t = el as HTMLElement | null;
  return (
    !!t &&
    (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)
  );
}
