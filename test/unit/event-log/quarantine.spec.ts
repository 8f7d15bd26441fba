import { DatabaseUnavailable } from '../../../src/common/errors';
import { isPoison } from '../../../src/event-log/quarantine';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isPoison: the event’s own fault, or the infrastructure’s', () => {
  it('data exceptions and constraint violations are the event’s', () => {
    for (const code of ['22P05', '22021', '22P02', '22003', '23505', '23514']) expect(isPoison(pgError(code))).toBe(true);
  });

  it('a projection that throws (no SQLSTATE) is the event’s', () => {
    expect(isPoison(new RangeError('Maximum call stack size exceeded'))).toBe(true);
  });

  it('connection, server, deadlock and deployment failures are not', () => {
    for (const code of ['08006', '08P01', '57P01', '53300', '40P01', '40001', '42P01', '42703', 'XX000', 'ECONNREFUSED']) {
      expect({ code, poison: isPoison(pgError(code)) }).toEqual({ code, poison: false });
    }
    expect(isPoison(new DatabaseUnavailable(new Error('gone')))).toBe(false);
    expect(isPoison(new Error('Connection terminated unexpectedly'))).toBe(false);
    expect(isPoison('not an error')).toBe(false);
  });
});
