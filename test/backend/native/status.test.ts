/** probeAddon() when the addon is missing: not available, with the reason and the one command that fixes it. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {ADDON_FUNCTIONS, ADDON_SOURCE_VERSION, missingAddonFunctions, NATIVE_FIX, OPENMP_SPIN_COUNT, probeAddon, setOpenMpWaitDefaults, staleSourcesReason}
  from '../../../src/backend/native/addon';

describe('probeAddon without a built addon', () => {
  let root: string;
  beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-native-')); });
  afterEach(() => fs.rmSync(root, {recursive: true, force: true}));

  test('install script never ran: says so and gives the fix', () => {
    expect(probeAddon(root)).toEqual({addon: null, reason: `native addon not built; fix: ${NATIVE_FIX}`});
    expect(NATIVE_FIX).toBe('apt-get install -y libdnnl-dev && npm run build:native');
  });

  test('install script skipped the build: repeats its reason', () => {
    fs.mkdirSync(path.join(root, 'native', 'build'), {recursive: true});
    const reason = `oneDNN headers not found (Debian package libdnnl-dev); to enable it: ${NATIVE_FIX}`;
    fs.writeFileSync(path.join(root, 'native', 'build', 'status.json'), JSON.stringify({ok: false, reason}));
    expect(probeAddon(root)).toEqual({addon: null, reason: `native addon not built: ${reason}`});
  });

  test('a broken addon file: load error and the fix', () => {
    fs.mkdirSync(path.join(root, 'native', 'build', 'Release'), {recursive: true});
    fs.writeFileSync(path.join(root, 'native', 'build', 'Release', 'mixup_native.node'), 'not a shared object');
    const {addon, reason} = probeAddon(root);
    expect(addon).toBeNull();
    expect(reason).toMatch(/^native addon failed to load \(.+\); fix: apt-get install -y libdnnl-dev/);
  });
});

describe('an addon built from older sources', () => {
  test('lacks functions: they are named, so probeAddon reports the addon as out of date', () => {
    const old = Object.fromEntries(ADDON_FUNCTIONS.filter((f) => f !== 'sgdStep').map((f) => [f, () => undefined]));
    expect(missingAddonFunctions(old)).toEqual(['sgdStep']);
    expect(missingAddonFunctions({...old, sgdStep: () => undefined})).toEqual([]);
  });
  test('has every function but older behaviour: its source version is named, with the fix', () => {
    expect(staleSourcesReason('/x/mixup_native.node', undefined)).toBe('native addon /x/mixup_native.node is out of date ' +
      `(built from sources of version 1, these are version ${ADDON_SOURCE_VERSION}); fix: node native/build.js --force`);
    expect(staleSourcesReason('/x/mixup_native.node', ADDON_SOURCE_VERSION)).toBeUndefined();
  });
});

describe('OpenMP wait settings set before the addon loads', () => {
  test('nothing set: PASSIVE with a short spin', () => {
    const env: NodeJS.ProcessEnv = {};
    setOpenMpWaitDefaults(env);
    expect(env).toEqual({OMP_WAIT_POLICY: 'PASSIVE', GOMP_SPINCOUNT: String(OPENMP_SPIN_COUNT)});
  });
  test("the user's OMP_WAIT_POLICY is kept, with libgomp's spin for it", () => {
    const env: NodeJS.ProcessEnv = {OMP_WAIT_POLICY: 'ACTIVE'};
    setOpenMpWaitDefaults(env);
    expect(env).toEqual({OMP_WAIT_POLICY: 'ACTIVE'});
  });
  test("the user's GOMP_SPINCOUNT is kept", () => {
    const env: NodeJS.ProcessEnv = {GOMP_SPINCOUNT: '0'};
    setOpenMpWaitDefaults(env);
    expect(env).toEqual({OMP_WAIT_POLICY: 'PASSIVE', GOMP_SPINCOUNT: '0'});
  });
});
