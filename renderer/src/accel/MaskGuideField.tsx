import { useOps, useStudio } from '../app/context';
import { Switch } from '../lib/Switch';

/** The engine's mask guide for new runs: stage 1's voxels carved and filled by the mask before stage 2. */
export function MaskGuideField() {
  const ops = useOps();
  const on = useStudio((s) => s.maskGuide);
  return (
    <div className="knob bool" data-testid="mask-guide">
      <span
        className="knob-label"
        data-tip="Carve voxels outside the mask and fill thin parts inside it before stage 2. Turn off to see the model's own shape, or to compare strategies without it."
      >
        Mask guide
      </span>
      <Switch on={on} onChange={ops.setMaskGuide} label="Mask guide" testId="mask-guide-switch" />
    </div>
  );
}
