import { useEffect, useMemo } from 'react';
import { DoubleSide } from 'three';
import type { MeshData } from '../client/api';
import type { Shading } from '../store/types';
import { buildGeometry } from './geometry';
import { useMatcap } from './useMatcap';

/**
 * One mesh in the y-up view frame. `colors` (linear RGB per vertex) replaces the vertex colours,
 * e.g. with a distance heat map.
 */
export function MeshView(props: {
  mesh: MeshData;
  shading: Shading;
  wireframe: boolean;
  colors?: Float32Array;
}) {
  const { mesh, colors } = props;
  const geometry = useMemo(() => buildGeometry(mesh, colors), [mesh, colors]);
  useEffect(() => () => geometry.dispose(), [geometry]);
  const matcap = useMatcap();
  const hasColor = !!geometry.getAttribute('color');
  const shading = props.shading === 'color' && !hasColor ? 'matcap' : props.shading;
  return (
    <group>
      <mesh geometry={geometry}>
        {shading === 'color' && (
          <meshStandardMaterial
            vertexColors
            roughness={0.82}
            metalness={0}
            side={DoubleSide}
            polygonOffset
            polygonOffsetFactor={1}
            polygonOffsetUnits={1}
          />
        )}
        {shading === 'normals' && (
          <meshNormalMaterial
            side={DoubleSide}
            polygonOffset
            polygonOffsetFactor={1}
            polygonOffsetUnits={1}
          />
        )}
        {shading === 'matcap' && (
          <meshMatcapMaterial
            matcap={matcap}
            side={DoubleSide}
            polygonOffset
            polygonOffsetFactor={1}
            polygonOffsetUnits={1}
          />
        )}
      </mesh>
      {props.wireframe && (
        <mesh geometry={geometry}>
          <meshBasicMaterial wireframe color="#0c0d10" transparent opacity={0.4} depthWrite={false} />
        </mesh>
      )}
    </group>
  );
}
