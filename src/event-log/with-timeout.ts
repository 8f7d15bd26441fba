import { LogUnavailable } from '../common/errors';

/** Bounds how long a client waits for durability; it will retry after a 503. */
export async function withAppendTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LogUnavailable(`${what} not durable within ${ms} ms, retry later`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
