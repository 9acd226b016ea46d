/**
 * Frame counters shared by all connections of one load generator, and the optional latency
 * record of the cluster scenario (whose events carry their send time as the only argument).
 */
const STAMP_PREFIX = '42["t",';

export class Tally {
  text = 0;
  binary = 0;
  private latencies: number[] = [];
  private trackLatency = false;

  reset(trackLatency: boolean): { text: number; binary: number } {
    const before = { text: this.text, binary: this.binary };
    this.text = 0;
    this.binary = 0;
    this.latencies = [];
    this.trackLatency = trackLatency;
    return before;
  }

  onText(frame: string): void {
    this.text++;
    if (this.trackLatency && frame.startsWith(STAMP_PREFIX)) {
      const sent = Number(frame.slice(STAMP_PREFIX.length, -1));
      this.latencies.push(performance.timeOrigin + performance.now() - sent);
    }
  }

  takeLatencies(): number[] {
    const out = this.latencies;
    this.latencies = [];
    return out;
  }
}
