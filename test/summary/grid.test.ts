import {parse} from 'csv-parse/sync';
import {escapeTex, fmt, Grid, markBest, renderCsv, renderLatex, renderTable} from '../../src/summary/grid';

function sample(): Grid {
  const grid: Grid = {
    title: 'head0_top1: median (epoch >= 190 of 200)',
    labelColumns: 2,
    header: [
      [{text: 'Datasets'}, {text: 'Beta', tex: '$\\mathrm{Beta}$'}, {text: 'CUB-200'}, {text: 'CUB-200'}],
      [{text: 'Backbones'}, {text: 'alpha', tex: '$\\alpha$'}, {text: 'ResNet-18'}, {text: 'ResNeXt-50'}],
    ],
    rows: [
      [{text: 'FMix*'}, {text: '0.2'}, {text: '77.28'}, {text: '84.06'}],
      [{text: 'Mix, "quoted"_x'}, {text: '1'}, {text: '78.40 (0.12)'}, {text: '-'}],
    ],
  };
  markBest(grid, (i, j) => [[undefined, undefined, 77.28, 84.06], [undefined, undefined, 78.4, undefined]][i][j]);
  return grid;
}

describe('grid renderers', () => {
  test('CSV round-trips every cell, quotes included', () => {
    const grid = sample();
    const back = parse(renderCsv(grid)) as string[][];
    expect(back).toEqual([...grid.header, ...grid.rows].map((row) => row.map((c) => c.text)));
  });

  test('LaTeX: a tabular with one column spec per column, & count per row, escaped text, bold best', () => {
    const tex = renderLatex(sample());
    const lines = tex.split('\n');
    expect(lines[1]).toBe('\\begin{tabular}{lccc}');
    expect(lines[lines.length - 1]).toBe('\\end{tabular}');
    const body = lines.filter((l) => l.endsWith('\\\\'));
    expect(body).toHaveLength(4);
    for (const line of body) expect(line.split(' & ')).toHaveLength(4);
    expect(body[0]).toBe('Datasets & $\\mathrm{Beta}$ & CUB-200 & CUB-200 \\\\');
    expect(body[3]).toBe('Mix, "quoted"\\_x & 1 & \\textbf{78.40 (0.12)} & - \\\\');
    expect(body[2]).toContain('\\textbf{84.06}');
    expect((tex.match(/\\hline/g) ?? []).length).toBe(3);
  });

  test('terminal table marks the best with *', () => {
    const out = renderTable(sample());
    expect(out).toContain('78.40 (0.12) *');
    expect(out).toContain('84.06 *');
    expect(out).not.toContain('77.28 *');
  });

  test('escapeTex and fmt', () => {
    expect(escapeTex('1 ± 2')).toBe('1 $\\pm$ 2');
    expect(escapeTex('a_b & 50% #1 {x} ~ ^ \\')).toBe('a\\_b \\& 50\\% \\#1 \\{x\\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{}');
    // as Python's '{:.2f}': 78.345 is 78.34499... in binary; exact ties round half to even
    expect(fmt(78.345)).toBe('78.34');
    expect(fmt(78.346)).toBe('78.35');
    expect(fmt(78.125)).toBe('78.12');
    expect(fmt(78.375)).toBe('78.38');
    expect(fmt(-0.125)).toBe('-0.12');
    expect(fmt(undefined)).toBe('-');
    expect(fmt(Number.NaN)).toBe('-');
  });
});

describe('notes and CSV parts', () => {
  test('notes go under the table in table, Markdown and LaTeX, not into CSV; parts split CSV value columns', () => {
    const grid: Grid = {
      title: 't',
      labelColumns: 1,
      header: [[{text: 'Method'}, {text: 'A'}]],
      rows: [[{text: 'x'}, {text: '1.00 ± 0.50 (n=2)', parts: ['1.00', '0.50', '2']}], [{text: 'y'}, {text: '-'}]],
      notes: ['differences within seed noise'],
      parts: ['mean', 'std', 'n'],
    };
    expect(renderTable(grid).split('\n').pop()).toBe('differences within seed noise');
    expect(renderLatex(grid).split('\n').pop()).toBe('\\par{\\footnotesize differences within seed noise}');
    expect(renderCsv(grid).split('\n')).toEqual(['Method,A,A,A', ',mean,std,n', 'x,1.00,0.50,2', 'y,-,,']);
  });
});
