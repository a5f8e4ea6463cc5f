/** Soft studio lighting: sky/ground fill plus a key and a rim light (no HDR download). */
export function Lights() {
  return (
    <>
      <hemisphereLight args={['#f1f4ff', '#2b2824', 1.6]} />
      <directionalLight position={[2.5, 4, 3]} intensity={1.7} />
      <directionalLight position={[-3, 1.5, -2.5]} intensity={0.55} />
    </>
  );
}
