// Reading and validating a pack folder. Every failure is a UserError naming the file, the tensor and
// the mismatch, so a broken export or a half-copied folder is diagnosed in one line.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { contractMismatches } from './contract.ts';
import { ManifestSchema, PACK_SCHEMA, type Manifest, type StageName } from './manifest.ts';

export type Pack = { dir: string; manifest: Manifest };

export function loadPack(dir: string, opts: { verifyHashes?: boolean } = {}): Pack {
  const where = `pack ${dir}`;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UserError(`${where}: folder not found; pass --pack with a folder that holds manifest.json`);
  }
  const file = path.join(dir, 'manifest.json');
  if (!existsSync(file))
    throw new UserError(`${where}: manifest.json is missing; is this a model pack folder?`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`${where}: manifest.json is not valid JSON (${(e as Error).message})`);
  }
  const schema = (raw as { schema?: unknown })?.schema;
  if (typeof schema === 'string' && schema !== PACK_SCHEMA && schema.startsWith('fsam3d-pack/')) {
    throw new UserError(
      `${where}: manifest.json is ${schema}; this engine reads ${PACK_SCHEMA}, update the app or re-export`,
    );
  }
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`${where}: manifest.json field "${issue.path.join('.')}": ${issue.message}`);
  }
  const manifest = parsed.data;
  checkConstants(where, manifest);
  for (const stage of Object.keys(manifest.stages) as StageName[]) {
    const bad = contractMismatches(manifest, stage);
    if (bad.length) throw new UserError(`${where}: ${bad[0]}`);
    const spec = manifest.stages[stage]!;
    const onnx = path.join(dir, spec.file);
    if (!existsSync(onnx)) throw new UserError(`${where}: ${spec.file} (stage ${stage}) is missing`);
    if (opts.verifyHashes && spec.sha256) {
      const got = createHash('sha256')
        .update(new Uint8Array(readFileSync(onnx)))
        .digest('hex');
      if (got !== spec.sha256)
        throw new UserError(
          `${where}: ${spec.file} is corrupt (sha256 differs from the manifest); copy the pack again`,
        );
    }
  }
  return { dir, manifest };
}

function checkConstants(where: string, m: Manifest): void {
  const c = m.slat.latentChannels;
  if (m.slat.mean.length !== c || m.slat.std.length !== c) {
    throw new UserError(`${where}: manifest.json slat.mean/std need ${c} values (slat.latentChannels)`);
  }
  const expectRes = m.slat.res * 2 ** m.decoder.subdivisions;
  if (m.decoder.mesh.res !== expectRes) {
    throw new UserError(
      `${where}: manifest.json decoder.mesh.res is ${m.decoder.mesh.res}, expected slat.res·2^subdivisions = ${expectRes}`,
    );
  }
  const l = m.decoder.mesh.layout;
  for (const [k, [a, b]] of Object.entries(l)) {
    if (!(a < b && b <= m.decoder.mesh.channels)) {
      throw new UserError(
        `${where}: manifest.json decoder.mesh.layout.${k} [${a},${b}] is outside 0..${m.decoder.mesh.channels}`,
      );
    }
  }
  if (m.slat.res !== m.ss.occupancyRes) {
    throw new UserError(
      `${where}: manifest.json slat.res (${m.slat.res}) must equal ss.occupancyRes (${m.ss.occupancyRes})`,
    );
  }
}
