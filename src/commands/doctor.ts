/** `mixup doctor`: which tfjs backends this machine has, which one auto picks, and how to get the others. */
import {BaseCommand} from '../cli/base-command';
import {doctor, formatDoctor, type DoctorReport} from '../engine/doctor';

export default class Doctor extends BaseCommand {
  static summary = 'Show the tfjs backends available here, which one --backend auto picks, and how to install the others.';
  static description = `Checks, in auto order, @tensorflow/tfjs-node-gpu, @tensorflow/tfjs-node, webgpu (Dawn and its
adapter: vendor, architecture, driver, software or not), the oneDNN native backend, the wasm backend and the pure-JS
cpu backend; prints why each is (not) usable and how to fix it, the native backend's status with the one command that
builds it, and the Node.js / TensorFlow.js versions.`;

  static examples = [
    {command: '<%= config.bin %> doctor', description: 'human-readable report'},
    {command: '<%= config.bin %> doctor --json', description: 'machine-readable report'},
  ];

  async run(): Promise<DoctorReport> {
    const report = await doctor();
    for (const line of formatDoctor(report)) this.log(line);
    return report;
  }
}
