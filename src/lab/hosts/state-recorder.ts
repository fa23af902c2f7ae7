import { writeLabState, type LabHost, type LabState } from './state.js';

/** Records every change as it happens (write temp + rename), so a crash leaves a state the next run can clean. */
export class StateRecorder {
  constructor(private readonly file: string, public state: LabState) {}
  save(hosts: readonly LabHost[] = this.state.hosts): void {
    this.state = { ...this.state, hosts };
    writeLabState(this.file, this.state);
  }
  upsert(host: LabHost): void {
    this.save([...this.state.hosts.filter((h) => h.name !== host.name), host]);
  }
  drop(name: string): void {
    this.save(this.state.hosts.filter((h) => h.name !== name));
  }
}
