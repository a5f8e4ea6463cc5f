import { Icon } from '../lib/Icon';

export function ViewerEmpty(props: { scene: boolean; running: boolean }) {
  return (
    <div className="viewer-empty">
      <div className="empty">
        <div className="empty-icon">
          {props.running ? <span className="spinner" /> : <Icon name="cube" size={22} />}
        </div>
        <h2>
          {props.running ? 'Reconstructing…' : props.scene ? 'No objects in the scene yet' : 'No 3D yet'}
        </h2>
        <p>
          {props.running
            ? 'The stage-1 voxels appear here as soon as sampling starts.'
            : 'Click the object in the photo, then 3Dfy. Drag to orbit, right-drag to pan, scroll to zoom.'}
        </p>
      </div>
    </div>
  );
}
