import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccountsController } from './accounts.controller';
import { AccountsRepository } from './accounts.repository';
import { AccountsService, AuthSchemas } from './accounts.service';
import { AccessGuard } from './admin.guard';
import { AdminToken } from './admin-token';
import { Authenticator } from './authenticator';

/** Who may do what: the bootstrap token, API tokens, people, sessions, and the global access guard. */
@Module({})
export class AuthModule {
  static forRoot(bootstrapToken: AdminToken): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      controllers: [AccountsController],
      providers: [
        { provide: AdminToken, useValue: bootstrapToken },
        AccountsRepository,
        AuthSchemas,
        Authenticator,
        AccountsService,
        { provide: APP_GUARD, useClass: AccessGuard },
      ],
      exports: [AdminToken, Authenticator, AccountsService],
    };
  }
}
