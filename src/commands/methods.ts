/** `mixup methods`: the method catalog, with each method's default arguments and whether it is implemented. */
import {BaseCommand} from '../cli/base-command';
import {METHODS, type MethodKind} from '../config/methods';
import {registry} from '../mixups';

/** One method as `mixup methods --json` prints it. */
export interface MethodRow {
  name: string;
  label: string;
  kind: MethodKind;
  implemented: boolean;
  /** a learned mixer: implemented by its own classifier (`model.type: "AutoMixup"`), not usable as a mix_mode */
  learned: boolean;
  defaultArgs: Record<string, unknown>;
  paper: string;
}

/** `mixup methods` */
export default class Methods extends BaseCommand {
  static summary = 'List the mixing methods, their default arguments and whether they are implemented.';
  static description = `One line per method of the catalog (config name for model.mix_mode, table label, kind, default model.mix_args). "implemented" is what the mixups registry reports: a method that is not implemented yet fails with exit code 7 when a run uses it. The learned mixers (automix, samix) are implemented "via model.type AutoMixup": they are their own classifier (configs/<dataset>/<backbone>_automix.json, or mixup gen-configs --methods automix), not a mix_mode.`;

  static examples = [
    {command: '<%= config.bin %> methods', description: 'the table'},
    {command: '<%= config.bin %> methods --json', description: 'machine-readable, with the papers'},
  ];

  async run(): Promise<MethodRow[]> {
    await this.parse(Methods);
    const rows: MethodRow[] = METHODS.map((m) => ({
      name: m.name,
      label: m.label,
      kind: m.kind,
      implemented: registry.has(m.name) && registry.get(m.name).implemented,
      learned: registry.has(m.name) && registry.get(m.name).learned === true,
      defaultArgs: m.defaultArgs,
      paper: m.paper,
    }));
    const status = (r: MethodRow): string => (!r.implemented ? 'no' : r.learned ? 'yes (via model.type AutoMixup)' : 'yes');
    const cells = rows.map((r) => [r.name, r.label, r.kind, status(r), JSON.stringify(r.defaultArgs)]);
    const header = ['method', 'label', 'kind', 'implemented', 'default mix_args'];
    const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
    for (const line of [header, ...cells]) this.log(line.map((c, i) => (i === line.length - 1 ? c : c.padEnd(widths[i]))).join('  '));
    const learned = rows.filter((r) => r.implemented && r.learned).map((r) => r.name);
    this.log(`\n${rows.filter((r) => r.implemented).length} of ${rows.length} implemented${learned.length > 0 ? ` (${learned.join(', ')}: a config with model.type "AutoMixup", not a mix_mode)` : ''}`);
    return rows;
  }
}
