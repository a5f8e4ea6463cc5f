import { useState, type DragEvent } from 'react';
import { useOps, useStudio } from '../app/context';
import { EmptyPhoto } from './EmptyPhoto';
import { PhotoCanvas } from './PhotoCanvas';
import { PhotoFooter } from './PhotoFooter';
import { PhotoToolbar } from './PhotoToolbar';

/** Left half of the workspace: the photo, the clicks and the masks. Accepts a dropped image. */
export function PhotoPanel() {
  const ops = useOps();
  const hasPhoto = useStudio((s) => !!s.photo);
  const [dragging, setDragging] = useState(false);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file =
      Array.from(e.dataTransfer.files).find((f) => f.type.startsWith('image/')) ?? e.dataTransfer.files[0];
    if (file) void ops.openFile(file);
  };

  return (
    <section
      className="pane"
      aria-label="Photo"
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node)) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <PhotoToolbar />
      <div className="photo-stage">
        {hasPhoto ? <PhotoCanvas /> : <EmptyPhoto />}
        {dragging && <div className="drop-hint">Drop to open the photo</div>}
      </div>
      {hasPhoto && <PhotoFooter />}
    </section>
  );
}
