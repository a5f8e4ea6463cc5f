import { useRef } from 'react';
import { useOps } from '../app/context';
import { Icon } from '../lib/Icon';

/** "Open…": the shell's Open dialog inside Electron, else a hidden file input. */
export function OpenImageButton(props: {
  label?: string;
  primary?: boolean;
  compact?: boolean;
  testId?: string;
}) {
  const id = props.testId ?? 'open-image';
  const ops = useOps();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        className={props.primary ? 'btn primary' : props.compact ? 'btn ghost icon-only' : 'btn ghost'}
        aria-label="Open photo"
        onClick={() => (ops.hasShell ? void ops.openPhotoDialog() : input.current?.click())}
        data-testid={id}
        title="Open a photo (JPEG, PNG, WebP)"
      >
        <Icon name="folder" />
        {!props.compact && (props.label ?? 'Open')}
      </button>
      <input
        ref={input}
        type="file"
        accept="image/png,image/jpeg,image/webp,image/bmp,image/gif"
        hidden
        data-testid={`${id}-input`}
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void ops.openFile(f);
          e.target.value = '';
        }}
      />
    </>
  );
}
