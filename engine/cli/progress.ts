// Per-stage progress: bars on a terminal, one plain line per stage change and step otherwise (logs, CI).
import cliProgress from 'cli-progress';
import type { Progress } from '../pipeline.ts';

export function progressReporter(stream: NodeJS.WriteStream, quiet: boolean) {
  if (quiet) return { update: (_p: Progress) => {}, stop: () => {} };
  if (stream.isTTY) {
    const multi = new cliProgress.MultiBar(
      { stream, format: ' {stage} |{bar}| {value}/{total}', hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    const bars = new Map<string, cliProgress.SingleBar>();
    return {
      update(p: Progress) {
        let bar = bars.get(p.stage);
        if (!bar) {
          bar = multi.create(p.of, 0, { stage: p.stage.padEnd(10) });
          bars.set(p.stage, bar);
        }
        bar.setTotal(p.of);
        bar.update(p.step, { stage: p.stage.padEnd(10) });
      },
      stop: () => multi.stop(),
    };
  }
  let last = '';
  return {
    update(p: Progress) {
      const line = `${p.stage} ${p.step}/${p.of}`;
      if (line !== last) stream.write(`${line}\n`);
      last = line;
    },
    stop: () => {},
  };
}
