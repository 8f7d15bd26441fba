import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { freemem, loadavg, totalmem } from 'node:os';
import { Metrics } from '../../metrics/metrics';

/** Upstream substrate-analytics metric names (spec submissions-and-nodes.md §B.9) plus the required additions. */
@Injectable()
export class NodesMetrics {
  readonly messages;
  readonly connected;
  readonly dropped;
  readonly current;
  readonly bytes;
  readonly stored;
  readonly droppedMessages;
  readonly bufferRows;
  readonly purged;
  readonly feedsCurrent;
  /** Upstream `requests`: non-websocket, non-metrics GETs. */
  readonly requests;
  private readonly host;

  constructor(metrics: Metrics) {
    this.messages = metrics.counter('substrate_message_count', 'Parsed JSON frames from nodes (ping/pong excluded)');
    this.connected = metrics.counter('nodes_connected_count', 'Node websocket connections opened');
    this.dropped = metrics.counter('nodes_dropped_count', 'Node websocket connections closed');
    this.current = metrics.gauge('current_substrate_connections', 'Open node websocket connections (connected - dropped)');
    this.bytes = metrics.counter('substrate_bytes_received', 'Bytes of text and binary frames received from nodes');
    this.stored = metrics.counter('telemetry_node_messages_stored_total', 'Node messages stored', ['route']);
    this.droppedMessages = metrics.counter('telemetry_node_messages_dropped_total', 'Node frames not stored (or stored with a server timestamp), by reason', ['reason']);
    this.bufferRows = metrics.gauge('telemetry_node_log_buffer_rows', 'Node messages waiting in the insert buffer');
    this.purged = metrics.counter('telemetry_node_purged_rows_total', 'Rows deleted by the node log purge');
    this.feedsCurrent = metrics.gauge('current_feed_connections', 'Open live-feed connections (no /feed endpoint here: always 0)');
    metrics.counter('feeds_connected', 'Live-feed connections opened (no /feed endpoint here)');
    metrics.counter('feeds_disconnected', 'Live-feed connections closed (no /feed endpoint here)');
    this.requests = metrics.counter('requests', 'HTTP GET requests other than websocket upgrades and /metrics');
    this.host = {
      bytesReceived: metrics.gauge('bytes_received', 'Host network bytes received (all interfaces but lo, since boot)'),
      bytesSent: metrics.gauge('bytes_sent', 'Host network bytes sent (all interfaces but lo, since boot)'),
      one: metrics.gauge('load_avg_one', 'Host load average, 1 minute'),
      five: metrics.gauge('load_avg_five', 'Host load average, 5 minutes'),
      fifteen: metrics.gauge('load_avg_fifteen', 'Host load average, 15 minutes'),
      totalMem: metrics.gauge('total_mem', 'Host memory, KiB'),
      usedMem: metrics.gauge('used_mem', 'Host memory in use, KiB'),
      totalSwap: metrics.gauge('total_swap', 'Host swap, KiB'),
      usedSwap: metrics.gauge('used_swap', 'Host swap in use, KiB'),
    };
    for (const reason of ['invalid_json', 'no_timestamp', 'bad_timestamp', 'oversize', 'not_object', 'unstorable', 'insert_failed']) this.droppedMessages.inc({ reason }, 0);
    for (const route of ['/', '/audit']) this.stored.inc({ route }, 0);
  }

  /** Host figures are sampled (by the module's timer), not per scrape. */
  sampleHost(): void {
    const [one, five, fifteen] = loadavg();
    this.host.one.set(one);
    this.host.five.set(five);
    this.host.fifteen.set(fifteen);
    this.host.totalMem.set(Math.round(totalmem() / 1024));
    this.host.usedMem.set(Math.round((totalmem() - freemem()) / 1024));
    try {
      const info = readFileSync('/proc/meminfo', 'utf8');
      const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(info)?.[1] ?? 0);
      this.host.totalSwap.set(kib('SwapTotal'));
      this.host.usedSwap.set(kib('SwapTotal') - kib('SwapFree'));
    } catch {
      // not Linux: swap figures stay 0
    }
    try {
      let rx = 0;
      let tx = 0;
      for (const line of readFileSync('/proc/net/dev', 'utf8').split('\n').slice(2)) {
        const [name, rest] = line.split(':');
        if (!rest || name.trim() === 'lo') continue;
        const fields = rest.trim().split(/\s+/).map(Number);
        rx += fields[0];
        tx += fields[8];
      }
      this.host.bytesReceived.set(rx);
      this.host.bytesSent.set(tx);
    } catch {
      // not Linux: NIC totals stay 0
    }
  }
}
