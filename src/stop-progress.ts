import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';

/**
 * What is stopping right now, by name, so that a stop that misses its deadline can say what it waited for
 * ("ProjectorRuntime.onApplicationShutdown, HTTP server") instead of only that it timed out.
 */
export class StopProgress {
  private readonly running = new Map<number, string>();
  private next = 0;

  async track<T>(name: string, work: () => Promise<T> | T): Promise<T> {
    const id = this.next++;
    this.running.set(id, name);
    try {
      return await work();
    } finally {
      this.running.delete(id);
    }
  }

  pending(): string[] {
    return [...this.running.values()];
  }
}

const LIFECYCLE_HOOKS = ['onModuleDestroy', 'beforeApplicationShutdown', 'onApplicationShutdown'] as const;

/**
 * Reports every shutdown step of a Nest app to `progress`: each provider's and controller's shutdown hooks
 * (app.close() runs them module by module) and the HTTP server's close (it waits for requests in flight).
 */
export function trackShutdown(app: INestApplication, progress: StopProgress): void {
  const seen = new WeakSet<object>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of [...module.providers.values(), ...module.controllers.values()]) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object' || seen.has(instance) || Object.isFrozen(instance)) continue;
      seen.add(instance);
      const target = instance as Record<string, unknown>;
      const name = instance.constructor?.name && instance.constructor !== Object ? instance.constructor.name : String(wrapper.name);
      for (const hook of LIFECYCLE_HOOKS) {
        const original = target[hook];
        if (typeof original !== 'function') continue;
        target[hook] = (...args: unknown[]) => progress.track(`${name}.${hook}`, () => original.apply(instance, args));
      }
    }
  }
  const adapter = app.getHttpAdapter();
  const close = adapter.close.bind(adapter);
  adapter.close = () => progress.track('HTTP server (requests in flight)', close);
}
