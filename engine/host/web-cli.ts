// `npm run web`: the studio in a browser, the engine in a supervised child process.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { localEngine, type EngineHost } from './local.ts';
import { nodeSpawner, Supervisor } from './supervisor.ts';
import { BUILD_HINT, startWebServer } from './web-server.ts';
import { existsSync } from 'node:fs';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

const USAGE = `Usage: npm run web -- [--port N] [--static DIR] [--settings-dir DIR] [--in-process]

Serves the studio on http://127.0.0.1 (never on other interfaces) and prints the URL with its access
token. Remote GPU machine: run this there, then on your computer
  ssh -N -L 8123:127.0.0.1:PORT user@gpu-machine
and open http://127.0.0.1:8123/?token=TOKEN (the token the server printed).

  --port N           listen on this port (default: a free one)
  --static DIR       built studio (default out/renderer; build it with: ${BUILD_HINT})
  --settings-dir DIR where settings.json lives (default ${defaultSettingsDir()})
  --in-process       run the engine in this process (no crash isolation)`;

function defaultSettingsDir(): string {
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? home, 'fsam3d-studio');
  if (process.platform === 'darwin')
    return path.join(home, 'Library', 'Application Support', 'fsam3d-studio');
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'fsam3d-studio');
}

function parse(argv: string[]) {
  const out = {
    port: 0,
    staticDir: path.join(REPO, 'out', 'renderer'),
    settingsDir: defaultSettingsDir(),
    inProcess: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--help' || a === '-h') return null;
    else if (a === '--port') {
      out.port = Number(value());
      if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535)
        throw new Error('--port must be 0..65535');
    } else if (a === '--static') out.staticDir = path.resolve(value());
    else if (a === '--settings-dir') out.settingsDir = path.resolve(value());
    else if (a === '--in-process') out.inProcess = true;
    else throw new Error(`unknown option ${a}`);
  }
  return out;
}

async function main(): Promise<number> {
  let args;
  try {
    args = parse(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`fsam3d web: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (!args) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let engine: EngineHost;
  if (args.inProcess) engine = localEngine({ settingsDir: args.settingsDir });
  else {
    const sup = new Supervisor({ spawn: nodeSpawner({ args: [`--settings-dir=${args.settingsDir}`] }) });
    await sup.start();
    engine = sup;
  }
  const server = await startWebServer({ engine, staticDir: args.staticDir, port: args.port });
  if (!existsSync(path.join(args.staticDir, 'index.html')))
    process.stderr.write(
      `fsam3d web: ${args.staticDir} has no built studio; build it with:\n  ${BUILD_HINT}\n`,
    );
  process.stdout.write(
    `Fast-SAM3D Studio: ${server.url}\n` +
      `(remote machine: ssh -N -L 8123:127.0.0.1:${server.port} HOST, then open http://127.0.0.1:8123/?token=${server.token})\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  await engine.close();
  return 0;
}

process.exitCode = await main();
