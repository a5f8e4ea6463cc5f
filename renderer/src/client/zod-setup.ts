// Imported first by the renderer entry: zod's object fast path probes `new Function`, which the studio's
// CSP (no unsafe-eval) reports as a violation; every schema built after this uses the interpreted path.
// (engine/host/protocol.ts sets the same flag; this makes the entry not depend on import order.)
import { z } from 'zod';

z.config({ jitless: true });
