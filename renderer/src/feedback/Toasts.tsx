import { useEffect } from 'react';
import { useOps, useStudio } from '../app/context';
import { Icon } from '../lib/Icon';
import type { Toast } from '../store/types';

const LIFETIME = { error: 8000, warning: 6000, info: 4000 };

/** One-line notices at the bottom; they fade out on their own. */
export function Toasts() {
  const toasts = useStudio((s) => s.toasts);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <ToastItem key={t.id} toast={t} />
      ))}
    </div>
  );
}

function ToastItem({ toast }: { toast: Toast }) {
  const ops = useOps();
  useEffect(() => {
    const t = setTimeout(() => ops.dismissToast(toast.id), LIFETIME[toast.kind]);
    return () => clearTimeout(t);
  }, [toast.id, toast.kind, ops]);
  return (
    <div
      className={`toast ${toast.kind}`}
      role={toast.kind === 'error' ? 'alert' : 'status'}
      data-testid="toast"
      data-kind={toast.kind}
    >
      <Icon name={toast.kind === 'info' ? 'info' : 'alert'} />
      <span title={toast.message}>{toast.message}</span>
      <button className="btn ghost icon-only" onClick={() => ops.dismissToast(toast.id)} aria-label="Dismiss">
        <Icon name="close" size={12} />
      </button>
    </div>
  );
}
