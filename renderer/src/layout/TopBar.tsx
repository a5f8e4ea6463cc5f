import { useOps, useStudio } from '../app/context';
import { Icon } from '../lib/Icon';
import { Segmented } from '../lib/Segmented';
import { EngineChip } from './EngineChip';
import { SettingsMenu } from './SettingsMenu';

export function TopBar() {
  const ops = useOps();
  const workspace = useStudio((s) => s.workspace);
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark">
          <Icon name="cube" size={13} />
        </span>
        Fast-SAM3D <span className="faint">Studio</span>
      </div>
      <Segmented
        label="Workspace"
        value={workspace}
        onChange={ops.setWorkspace}
        options={[
          { value: 'edit', label: 'Photo → 3D', testId: 'workspace-edit' },
          { value: 'compare', label: 'Compare', testId: 'workspace-compare' },
        ]}
      />
      <div className="spacer" />
      <EngineChip />
      <SettingsMenu />
    </header>
  );
}
