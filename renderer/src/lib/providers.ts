// Execution providers as the settings offer them: every known one, those this engine build lacks
// disabled, 'auto' first (the platform's GPU provider when one starts, else CPU).
export const PROVIDER_LABELS: Record<string, string> = {
  auto: 'Auto (GPU, else CPU)',
  cpu: 'CPU',
  cuda: 'CUDA (NVIDIA)',
  dml: 'DirectML (Windows)',
  coreml: 'CoreML (macOS)',
  webgpu: 'WebGPU',
};

export type ProviderOption = { value: string; label: string; available: boolean };

/** Known providers in order, then any other the engine lists; `current` always stays selectable. */
export function providerOptions(available: readonly string[], current?: string): ProviderOption[] {
  const names = [...new Set([...Object.keys(PROVIDER_LABELS), ...available])];
  return names.map((value) => {
    const ok = available.includes(value) || value === current;
    const label = PROVIDER_LABELS[value] ?? value.toUpperCase();
    return { value, label: ok ? label : `${label}: not in this build`, available: ok };
  });
}

/** Short name for the engine chip. */
export function providerShort(p: string): string {
  return p === 'auto' ? 'Auto' : p === 'dml' ? 'DirectML' : p === 'coreml' ? 'CoreML' : p.toUpperCase();
}
