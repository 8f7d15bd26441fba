import { Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { jsonObjectBody } from '../common/http-input';
import { AccountsService } from './accounts.service';
import { RequiresRole } from './roles';

/** API tokens and people's accounts (admin). Secrets go one way: a token is shown once, a password never. */
@ApiTags('admin')
@ApiBearerAuth()
@RequiresRole('admin')
@Controller('api/admin')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post('tokens')
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an API token; its value is in this answer only' })
  @ApiBody({ description: 'schemas/auth/token.v1.json: {"name", "role": "viewer"|"analyst"|"support"|"admin", "expires_at"?: ISO 8601}' })
  @ApiCreatedResponse({ description: '{"id", "name", "role", "expires_at", "token"}' })
  createToken(@Req() req: FastifyRequest) {
    return this.accounts.createToken(jsonObjectBody(req));
  }

  @Get('tokens')
  @ApiOkResponse({ description: '{"tokens": [{id, name, role, created_at, expires_at, revoked_at, last_used_at}]} (never the token values)' })
  async tokens() {
    return { tokens: await this.accounts.tokens() };
  }

  @Delete('tokens/:id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'revoked, with every console session opened with it' })
  async revokeToken(@Param('id') id: string) {
    await this.accounts.revokeToken(id);
  }

  @Post('users')
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a person\'s account (signs in on /login with name and password)' })
  @ApiBody({ description: 'schemas/auth/user.v1.json: {"name", "role", "password" (≥ 12 characters)}' })
  @ApiCreatedResponse({ description: '{"id", "name", "role"}' })
  createUser(@Req() req: FastifyRequest) {
    return this.accounts.createUser(jsonObjectBody(req));
  }

  @Get('users')
  @ApiOkResponse({ description: '{"users": [{id, name, role, created_at}]} (current accounts)' })
  async users() {
    return { users: await this.accounts.users() };
  }

  @Delete('users/:id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'removed, with every console session of the account' })
  async removeUser(@Param('id') id: string) {
    await this.accounts.removeUser(id);
  }
}
