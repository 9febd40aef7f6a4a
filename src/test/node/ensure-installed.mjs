// Runs `npm ci` only when node_modules does not match package-lock.json, so repeated builds stay offline and
// fast while a fresh clone (or a changed lock file) gets exactly the locked packages. The folder is this script's,
// or the one given as the first argument (the benchmark's peer, src/test/node-peer).
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = process.argv[2] ?? dirname(fileURLToPath(import.meta.url));
const read = (file) => { try { return JSON.parse(readFileSync(join(here, file), 'utf8')); } catch { return null; } };

const locked = read('package-lock.json');
const installed = read('node_modules/.package-lock.json'); // npm writes this after every install
const wanted = (lock) => Object.entries(lock?.packages ?? {})
  .filter(([path]) => path.startsWith('node_modules/'))
  .map(([path, pkg]) => `${path}@${pkg.version}`)
  .sort()
  .join('\n');

if (installed && wanted(installed) === wanted(locked)) {
  console.log('node_modules matches package-lock.json; skipping npm ci');
} else {
  console.log('running npm ci in', here);
  execSync('npm ci --no-audit --no-fund', { cwd: here, stdio: 'inherit' });
}
