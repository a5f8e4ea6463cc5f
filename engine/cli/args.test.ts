// `fsam3d run` flag parsing: the --ep execution provider.
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.ts';
import { parseRunArgs, RUN_USAGE } from './args.ts';

const base = ['--image', 'p.png', '--mask', 'm.png'];

describe('--ep', () => {
  it('defaults to cpu and accepts auto and every named provider', () => {
    expect(parseRunArgs(base).provider).toBe('cpu');
    for (const ep of ['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu'])
      expect(parseRunArgs([...base, '--ep', ep]).provider).toBe(ep);
    expect(RUN_USAGE).toContain('--ep cpu|auto|');
  });

  it('refuses an unknown provider with the list', () => {
    expect(() => parseRunArgs([...base, '--ep', 'tpu'])).toThrow(UserError);
    expect(() => parseRunArgs([...base, '--ep', 'tpu'])).toThrow(/--ep must be one of cpu, auto, cuda/);
  });
});

describe('--no-layout-fit', () => {
  it('turns the layout fit off; it is on by default', () => {
    expect(parseRunArgs(base).layoutFit).toBe(true);
    expect(parseRunArgs([...base, '--no-layout-fit']).layoutFit).toBe(false);
    expect(RUN_USAGE).toContain('--no-layout-fit');
  });
});
