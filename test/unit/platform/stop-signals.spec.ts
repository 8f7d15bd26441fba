import { loadConfig } from '../../../src/config/app-config';
import { StopHooks, stopSignalHandler, stopTimings } from '../../../src/stop-signals';
import { StopProgress, trackShutdown } from '../../../src/stop-progress';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

describe('shutdown deadline (SHUTDOWN_TIMEOUT_S)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function hooks(stop: StopHooks['stop'], progress = new StopProgress()) {
    const lines: string[] = [];
    const exits: number[] = [];
    const cut = jest.fn();
    const h: StopHooks = { stop, cutConnections: cut, log: (level, m) => lines.push(`${level}: ${m}`), exit: (c) => exits.push(c), pending: () => progress.pending() };
    return { h, lines, exits, cut, progress };
  }

  it('defaults to 10 s and reads SHUTDOWN_TIMEOUT_S', () => {
    expect(loadConfig({}).shutdownTimeoutS).toBe(10);
    expect(loadConfig({ SHUTDOWN_TIMEOUT_S: '30' }).shutdownTimeoutS).toBe(30);
    expect(() => loadConfig({ SHUTDOWN_TIMEOUT_S: '0' })).toThrow(/SHUTDOWN_TIMEOUT_S/);
    expect(stopTimings(10)).toEqual({ deadlineMs: 10_000, drainMs: 5000, repeatWindowMs: 500 });
    expect(stopTimings(2)).toEqual({ deadlineMs: 2000, drainMs: 1000, repeatWindowMs: 500 });
  });

  it('exits 1 at the deadline and names what did not stop', async () => {
    const progress = new StopProgress();
    const { h, lines, exits, cut } = hooks(async () => {
      await progress.track('Database.onApplicationShutdown', () => Promise.resolve());
      await progress.track('ProjectorRuntime.onApplicationShutdown', () => new Promise(() => undefined));
    }, progress);
    stopSignalHandler(h, stopTimings(3))('SIGTERM');
    await jest.advanceTimersByTimeAsync(1500);
    expect(cut).toHaveBeenCalledTimes(1);
    expect(exits).toEqual([]);
    await jest.advanceTimersByTimeAsync(1500);
    expect(exits).toEqual([1]);
    expect(lines).toContain('error: not stopped within 3000 ms (SHUTDOWN_TIMEOUT_S), still stopping: ProjectorRuntime.onApplicationShutdown: exiting');
  });

  it('exits 0 when the stop finishes in time, and the deadline does not fire later', async () => {
    const { h, lines, exits } = hooks(() => new Promise((resolve) => setTimeout(resolve, 200)));
    stopSignalHandler(h, stopTimings(3))('SIGTERM');
    await jest.advanceTimersByTimeAsync(10_000);
    expect(exits).toEqual([0]);
    expect(lines.some((l) => l.startsWith('log: stopped after'))).toBe(true);
  });

  it('says so when nothing was reported as stopping', async () => {
    const { h, lines, exits } = hooks(() => new Promise(() => undefined));
    stopSignalHandler(h, stopTimings(1))('SIGTERM');
    await jest.advanceTimersByTimeAsync(1000);
    expect(exits).toEqual([1]);
    expect(lines).toContain('error: not stopped within 1000 ms (SHUTDOWN_TIMEOUT_S), nothing reported as stopping: exiting');
  });
});

describe('StopProgress', () => {
  it('lists work that has started and not finished, also after a failure', async () => {
    const p = new StopProgress();
    let release!: () => void;
    const slow = p.track('slow', () => new Promise<void>((r) => (release = r)));
    await expect(p.track('fails', () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(p.pending()).toEqual(['slow']);
    release();
    await slow;
    expect(p.pending()).toEqual([]);
  });
});

describe('trackShutdown', () => {
  it('names the provider hook a stopping Nest app is still waiting for', async () => {
    @Injectable()
    class Wedged {
      onApplicationShutdown() {
        return new Promise<void>(() => undefined);
      }
    }
    @Module({ providers: [Wedged] })
    class WedgedModule {}
    const app = await NestFactory.create(WedgedModule, new FastifyAdapter(), { logger: false });
    await app.init();
    const progress = new StopProgress();
    trackShutdown(app, progress);
    void app.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(progress.pending()).toEqual(['Wedged.onApplicationShutdown']);
  });
});
