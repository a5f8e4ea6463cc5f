import { GizmoHelper, GizmoViewport, Grid, OrbitControls } from '@react-three/drei';
import { Canvas, type RootState } from '@react-three/fiber';
import type { ReactNode } from 'react';
import { Lights } from './Lights';

export type CameraInit = { position: [number, number, number]; fov?: number };

/**
 * The shared R3F canvas: renders on demand, no tone mapping (so vertex colours look as decoded),
 * a preserved drawing buffer for screenshots, orbit/pan/zoom, grid and an axes gizmo.
 */
export function ViewerCanvas(props: {
  children: ReactNode;
  grid: boolean;
  gridY?: number;
  camera?: CameraInit;
  onCreated?: (state: RootState) => void;
  controls?: ReactNode;
}) {
  const cam = props.camera ?? { position: [1.15, 0.85, 1.55] };
  return (
    <Canvas
      frameloop="demand"
      flat
      dpr={[1, 2]}
      gl={{ preserveDrawingBuffer: true, antialias: true }}
      camera={{ position: cam.position, fov: cam.fov ?? 35, near: 0.01, far: 500 }}
      onCreated={props.onCreated}
    >
      <color attach="background" args={['#141518']} />
      <Lights />
      {props.children}
      {props.grid && (
        <Grid
          position={[0, props.gridY ?? -0.5, 0]}
          args={[10, 10]}
          cellSize={0.1}
          cellThickness={0.6}
          cellColor="#222429"
          sectionSize={0.5}
          sectionThickness={1}
          sectionColor="#2e3137"
          fadeDistance={6}
          fadeStrength={1.5}
          infiniteGrid
        />
      )}
      {props.controls ?? <OrbitControls makeDefault enableDamping dampingFactor={0.12} />}
      {props.grid && (
        <GizmoHelper alignment="bottom-right" margin={[52, 52]}>
          <GizmoViewport axisColors={['#e8596c', '#35c98e', '#4f8cff']} labelColor="#0e0f11" />
        </GizmoHelper>
      )}
    </Canvas>
  );
}
