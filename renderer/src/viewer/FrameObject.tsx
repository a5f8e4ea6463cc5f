import { useThree } from '@react-three/fiber';
import { useLayoutEffect, useRef } from 'react';
import type { PerspectiveCamera } from 'three';

/**
 * Frames a sphere (`center`, `radius`): moves the orbit target to the centre and sets the camera distance from the
 * vertical and horizontal field of view (narrow panes need more distance), keeping the view direction.
 * Runs when `frameKey` changes (a new mesh) and when the canvas is resized.
 */
export function FrameObject(props: {
  radius: number;
  center?: [number, number, number];
  /** View direction (from the centre towards the camera) used when frameKey changes. */
  direction?: [number, number, number];
  frameKey: string;
}) {
  const lastKey = useRef<string | null>(null);
  const camera = useThree((s) => s.camera) as PerspectiveCamera;
  const size = useThree((s) => s.size);
  const controls = useThree((s) => s.controls) as unknown as {
    target: { x: number; y: number; z: number };
    update(): void;
  } | null;
  const invalidate = useThree((s) => s.invalidate);
  useLayoutEffect(() => {
    if (!camera.isPerspectiveCamera || size.width === 0 || size.height === 0) return;
    const vfov = (camera.fov * Math.PI) / 180;
    const hfov = 2 * Math.atan(Math.tan(vfov / 2) * (size.width / size.height));
    const dist = (props.radius * 1.08) / Math.sin(Math.min(vfov, hfov) / 2);
    const [cx, cy, cz] = props.center ?? [0, 0, 0];
    const t = controls?.target ?? { x: cx, y: cy, z: cz };
    const dir = camera.position
      .clone()
      .set(camera.position.x - t.x, camera.position.y - t.y, camera.position.z - t.z);
    t.x = cx;
    t.y = cy;
    t.z = cz;
    const fresh = lastKey.current !== props.frameKey;
    lastKey.current = props.frameKey;
    if (fresh && props.direction) dir.set(...props.direction);
    if (dir.lengthSq() === 0) dir.set(0.55, 0.4, 0.75);
    dir.normalize().multiplyScalar(dist);
    camera.position.set(t.x + dir.x, t.y + dir.y, t.z + dir.z);
    camera.updateProjectionMatrix();
    controls?.update();
    invalidate();
  }, [props.frameKey, props.radius, size.width, size.height, camera, controls, invalidate]); // centre follows frameKey
  return null;
}
