import {runCli} from '../helpers/cli';

const GOOD = 'test/fixtures/configs/valid_demo_two_modes.json';
const BAD = 'test/fixtures/configs/bad_types.json';

describe('mixup validate', () => {
  it('reports each problem as "file: path ..." and exits 2 when a config is invalid', () => {
    const result = runCli(['validate', GOOD, BAD]);
    expect(result.status).toBe(2);
    expect(result.stdout).toContain(`ok       ${GOOD}`);
    expect(result.stdout).toContain(`invalid  ${BAD}: runner.max_epochs must be an integer >= 1, got -3`);
    expect(result.stdout).toContain(`invalid  ${BAD}: model.mix_mode must be a known method (vanilla, mixup,`);
    expect(result.stdout).toContain('1 valid, 1 invalid');
    expect(result.stderr).toContain('1 of 2 config(s) invalid');
  });

  it('validates the AutoMixup configs and names the field of an AutoMixup problem', () => {
    const ok = runCli(['validate', 'configs/demo/automix.json', 'configs/demo/samix.json', 'configs/places205']);
    expect(ok.stdout).toContain('ok       configs/demo/automix.json');
    expect(ok.stdout).toContain('ok       configs/places205/r50_samix.json');
    expect(ok.status).toBe(0);
  });

  it('--json returns every file with its errors and still exits 2', () => {
    const result = runCli(['validate', GOOD, BAD, '--json']);
    expect(result.status).toBe(2);
    const json = JSON.parse(result.stdout);
    expect(json.valid).toBe(false);
    expect(json.files.map((f: {valid: boolean}) => f.valid)).toEqual([true, false]);
    expect(json.files[1].errors).toContain(`${BAD}: optimizer.lr must be a number > 0, got "0.1"`);
  });
});
