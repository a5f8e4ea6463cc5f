// Pure transitions for the engine connection, strategy and knobs, compare selection and toasts.
import type { Hello, MetricsResult, Settings, StrategyInfo } from '../client/api';
import type { KnobValue, Knobs, StudioState, Toast } from './types';

export const DEFAULT_STRATEGY = 'fast-sam3d';

export function engineReady(s: StudioState, hello: Hello): StudioState {
  const names = hello.strategies.map((x) => x.name);
  const strategy = names.includes(s.strategy)
    ? s.strategy
    : names.includes(DEFAULT_STRATEGY)
      ? DEFAULT_STRATEGY
      : (names[0] ?? s.strategy);
  return { ...s, engine: { status: 'ready', hello, error: null }, settings: hello.settings, strategy };
}

export function engineOffline(s: StudioState, error: string): StudioState {
  return { ...s, engine: { ...s.engine, status: 'offline', error } };
}

/** A request failed because the engine process died; the host is starting a new one. */
export function engineRestarting(s: StudioState): StudioState {
  return s.engine.status === 'ready' ? { ...s, engine: { ...s.engine, status: 'restarting' } } : s;
}

export function engineRestarted(s: StudioState, reason: string, now: number): StudioState {
  const engine = s.engine.hello ? { ...s.engine, status: 'ready' as const } : s.engine;
  return { ...s, engine, restart: { reason, at: now } };
}

export function setSettings(s: StudioState, settings: Settings): StudioState {
  return { ...s, settings };
}

export function strategyInfo(s: StudioState, name = s.strategy): StrategyInfo | null {
  return s.engine.hello?.strategies.find((x) => x.name === name) ?? null;
}

/** StrategyInfo defaults with the user's overrides for that strategy. */
export function effectiveKnobs(s: StudioState, name = s.strategy): Knobs {
  return mergeKnobs(strategyInfo(s, name), s.knobOverrides[name]);
}

export function mergeKnobs(info: StrategyInfo | null, over: Knobs = {}): Knobs {
  const out: Knobs = {};
  for (const k of info?.knobs ?? []) out[k.name] = k.value;
  for (const [k, v] of Object.entries(over)) if (k in out) out[k] = v;
  return out;
}

export function setKnob(s: StudioState, name: string, value: KnobValue): StudioState {
  const info = strategyInfo(s);
  const def = info?.knobs.find((k) => k.name === name);
  const current = { ...(s.knobOverrides[s.strategy] ?? {}) };
  if (def && def.value === value) delete current[name];
  else current[name] = value;
  return { ...s, knobOverrides: { ...s.knobOverrides, [s.strategy]: current } };
}

export function resetKnobs(s: StudioState): StudioState {
  const knobOverrides = { ...s.knobOverrides };
  delete knobOverrides[s.strategy];
  return { ...s, knobOverrides };
}

export function setStrategy(s: StudioState, name: string): StudioState {
  return { ...s, strategy: name };
}

export function setSeed(s: StudioState, seed: number): StudioState {
  const v = Math.trunc(seed);
  return Number.isFinite(v) ? { ...s, seed: Math.max(0, Math.min(2 ** 31 - 1, v)) } : s;
}

/**
 * Click a run's compare toggle: a run already chosen is removed; otherwise it fills A, then B; with
 * both taken, B moves to A and the new run becomes B.
 */
export function toggleCompare(s: StudioState, runId: string): StudioState {
  const { a, b } = s.compare;
  if (a === runId) return { ...s, compare: { a: b, b: null } };
  if (b === runId) return { ...s, compare: { a, b: null } };
  if (!a) return { ...s, compare: { a: runId, b } };
  if (!b) return { ...s, compare: { a, b: runId } };
  return { ...s, compare: { a: b, b: runId } };
}

export function setCompare(s: StudioState, a: string | null, b: string | null): StudioState {
  return { ...s, compare: { a, b } };
}

export function swapCompare(s: StudioState): StudioState {
  return { ...s, compare: { a: s.compare.b, b: s.compare.a } };
}

export function metricsKey(a: string, b: string): string {
  return `${a}|${b}`;
}

export function metricsPending(s: StudioState, key: string): StudioState {
  return { ...s, metrics: { ...s.metrics, [key]: { state: 'pending' } } };
}

export function metricsDone(s: StudioState, key: string, value: MetricsResult): StudioState {
  return { ...s, metrics: { ...s.metrics, [key]: { state: 'done', value } } };
}

export function metricsFailed(s: StudioState, key: string, error: string): StudioState {
  return { ...s, metrics: { ...s.metrics, [key]: { state: 'failed', error } } };
}

const TOAST_LIMIT = 4;

/** Adds a one-line toast (newlines folded); the same message twice in a row is shown once. */
export function pushToast(s: StudioState, kind: Toast['kind'], message: string): StudioState {
  const line = message.replace(/\s+/g, ' ').trim() || 'Something went wrong';
  const last = s.toasts[s.toasts.length - 1];
  if (last && last.message === line && last.kind === kind) return s;
  const id = s.counters.toast + 1;
  const toasts = [...s.toasts, { id, kind, message: line }].slice(-TOAST_LIMIT);
  return { ...s, toasts, counters: { ...s.counters, toast: id } };
}

export function dismissToast(s: StudioState, id: number): StudioState {
  return { ...s, toasts: s.toasts.filter((t) => t.id !== id) };
}
