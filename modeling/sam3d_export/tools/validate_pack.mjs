// Loads a pack with the engine's loader (schema, contract, files, hashes, graph metadata) and opens
// every session once. Usage (repo root): node --import tsx/esm modeling/sam3d_export/tools/validate_pack.mjs PACK
import { loadPack } from '../../../engine/pack/load.ts';
import { SessionCache } from '../../../engine/pack/sessions.ts';

const dir = process.argv[2];
const pack = loadPack(dir, { verifyHashes: true });
const sessions = new SessionCache(pack, { threads: 1 });
const stages = Object.keys(pack.manifest.stages);
if (process.env.FSAM3D_VALIDATE_SESSIONS !== '0') for (const s of stages) await sessions.get(s);
await sessions.dispose();
console.log(`engine loaded ${dir}: ${stages.join(', ')} ok`);
