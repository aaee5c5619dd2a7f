import * as path from 'node:path';
import {runCli} from '../helpers/cli';

describe('mixup compare', () => {
  test('--json returns published, reproduced and delta per backbone; --runs 1 takes the latest run only', () => {
    const r = runCli(['compare', path.join('test', 'fixtures', 'logs'), '--reference', 'cub200', '--json', '--runs', '1']);
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout);
    const cutmix = result.rows.find((row: {method: string}) => row.method === 'cutmix');
    expect(cutmix.cells[0]).toMatchObject({backbone: 'r18', published: 78.4, reproduced: 77.25, std: 0, n: 1});
    expect(cutmix.cells[0].delta).toBeCloseTo(-1.15, 10);
  });
});
