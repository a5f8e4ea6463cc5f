import { OrbitControls } from '@react-three/drei';
import { useThree } from '@react-three/fiber';
import { useEffect, useRef } from 'react';
import type { OrbitControls as OrbitControlsImpl } from 'three-stdlib';
import type { CameraSync, Vec3 } from './camera-sync';

/** OrbitControls whose camera follows, and drives, the other views on the same CameraSync. */
export function SyncedControls(props: { sync: CameraSync; id: string }) {
  const ref = useRef<OrbitControlsImpl>(null);
  const camera = useThree((s) => s.camera);
  const invalidate = useThree((s) => s.invalidate);
  const applying = useRef(false);

  useEffect(() => {
    const apply = (st: { position: Vec3; target: Vec3 }) => {
      const c = ref.current;
      if (!c) return;
      applying.current = true;
      camera.position.set(...st.position);
      c.target.set(...st.target);
      c.update();
      applying.current = false;
      invalidate();
    };
    if (props.sync.last) apply(props.sync.last);
    return props.sync.subscribe(props.id, apply);
  }, [props.sync, props.id, camera, invalidate]);

  return (
    <OrbitControls
      ref={ref}
      makeDefault
      enableDamping
      dampingFactor={0.12}
      onChange={() => {
        const c = ref.current;
        if (applying.current || !c) return;
        props.sync.publish(props.id, {
          position: camera.position.toArray() as Vec3,
          target: c.target.toArray() as Vec3,
        });
      }}
    />
  );
}
