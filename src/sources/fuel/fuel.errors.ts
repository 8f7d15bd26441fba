import { AppError } from '../../common/errors';

export class MethodNotAllowed extends AppError {
  readonly status = 405;
  constructor(readonly allow: readonly string[]) {
    super(`Method not allowed; allowed: ${allow.join(', ')}`, 'method_not_allowed');
  }
}
