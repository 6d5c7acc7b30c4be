import { createRoute, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { SESSION_COOKIE, requirePrincipal } from '../../http/auth.ts';
import type { App, AppDeps, AppEnv } from '../../http/context.ts';
import { bearerSecurity, errors, jsonBody, jsonResponse } from '../../http/openapi.ts';
import {
  AccountEventSchema,
  AdminUserSchema,
  ChallengeSchema,
  ChangePasswordSchema,
  CodeLoginSchema,
  CodeRequestSchema,
  CreateUserSchema,
  CreatedUserSchema,
  LoginSchema,
  ProfileSchema,
  RegisterSchema,
  ResetCompleteSchema,
  ResetRequestSchema,
  RoleChangeSchema,
  RoleChangedSchema,
  UserIdParam,
  UserListQuerySchema,
  UserSchema,
} from './accounts.schema.ts';
import * as service from './accounts.service.ts';
import { clientAddress } from '../../http/client-address.ts';

/** The token of this request's session, from the bearer header or the cookie. */
function sessionToken(c: Context<AppEnv>): string | null {
  if (c.get('authVia') === 'bearer') return /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization')?.trim() ?? '')?.[1] ?? null;
  if (c.get('authVia') === 'cookie') return getCookie(c, SESSION_COOKIE) ?? null;
  return null;
}

/** Responses that carry a token, a session cookie or account data are never stored by a cache. */
const noStore: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.header('Cache-Control', 'no-store');
  c.header('Pragma', 'no-cache');
};

const TokenResponse = z.object({ token: z.string(), expiresAt: z.string(), user: UserSchema }).openapi('TokenResponse');

export function registerAccountRoutes(app: App, deps: AppDeps): void {
  for (const path of ['/api/v1/auth/*', '/api/v1/me', '/api/v1/me/password', '/api/v1/users', '/api/v1/users/*']) app.use(path, noStore);
  const now = () => deps.now();
  const address = (c: Context<AppEnv>) => clientAddress(c, deps.config.trustProxy);

  async function bearer(c: Context<AppEnv>, user: Parameters<typeof service.toPublicUser>[0]) {
    const { token, expiresAt } = await service.openSession(deps.db, deps.config, user.id, 'bearer', now());
    return c.json({ token, expiresAt: expiresAt.toISOString(), user: service.toPublicUser(user) }, 200);
  }
  async function cookie(c: Context<AppEnv>, user: Parameters<typeof service.toPublicUser>[0]) {
    const { token, expiresAt } = await service.openSession(deps.db, deps.config, user.id, 'cookie', now());
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      secure: deps.config.cookieSecure,
      sameSite: 'Lax',
      path: '/',
      expires: expiresAt,
    });
    return c.json({ user: service.toPublicUser(user) }, 200);
  }

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/auth/register',
      tags: ['Accounts'],
      summary: 'Register a reporter account',
      description:
        'Gives a bearer token at once, so a new reporter can file straight away. Throttled per client address ' +
        '(REGISTER_MAX_PER_ADDRESS per REGISTER_WINDOW_SECONDS), so that it cannot test emails and phones for accounts at speed.',
      request: { body: jsonBody(RegisterSchema) },
      responses: {
        201: jsonResponse(z.object({ user: UserSchema, token: z.string() }), 'Registered, with a bearer token'),
        ...errors(400, 409, 429),
      },
    }),
    async (c) => {
      const user = await service.register(deps.db, deps.config, c.req.valid('json'), address(c), now());
      const { token } = await service.openSession(deps.db, deps.config, user.id, 'bearer', now());
      return c.json({ user: service.toPublicUser(user), token }, 201);
    },
  );

  const throttleNote =
    'Each attempt is counted before the password is checked: per client address, per address and account (a hard limit), ' +
    'and per account, where after LOGIN_FREE_ATTEMPTS each further attempt waits 1, 2, 4 … s (at most LOGIN_DELAY_MAX_SECONDS). ' +
    '429 carries Retry-After. An owner kept waiting signs in with a code by email (POST /api/v1/auth/code).';

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/auth/login',
      tags: ['Accounts'],
      summary: 'Sign in and get a bearer token (apps)',
      description: throttleNote,
      request: { body: jsonBody(LoginSchema) },
      responses: { 200: jsonResponse(TokenResponse, 'Signed in'), ...errors(400, 401, 429) },
    }),
    async (c) => bearer(c, await service.authenticate(deps.db, deps.config, { ...c.req.valid('json'), clientAddress: address(c) }, now())),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/auth/session',
      tags: ['Accounts'],
      summary: 'Sign in with a session cookie (browsers)',
      description: `Sets an HttpOnly, Secure, SameSite=Lax cookie. The token never reaches page scripts. ${throttleNote}`,
      request: { body: jsonBody(LoginSchema) },
      responses: { 200: jsonResponse(z.object({ user: UserSchema }), 'Signed in'), ...errors(400, 401, 429) },
    }),
    async (c) => cookie(c, await service.authenticate(deps.db, deps.config, { ...c.req.valid('json'), clientAddress: address(c) }, now())),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/auth/code',
      tags: ['Accounts'],
      summary: 'Send a one-time sign-in code to the account’s own email',
      description:
        'Always 202 with a challenge, whether or not the account exists. The six-digit code goes to the account’s email; ' +
        'send it back with the challenge to /api/v1/auth/code/login or /api/v1/auth/code/session. The code is single-use, ' +
        'lives SIGN_IN_CODE_TTL_SECONDS and allows SIGN_IN_CODE_MAX_ATTEMPTS guesses. It works while password guesses at ' +
        'the account are being slowed down. 429 only when this client address asks too often.',
      request: { body: jsonBody(CodeRequestSchema) },
      responses: { 202: jsonResponse(ChallengeSchema, 'Sent, if the account exists and has an email'), ...errors(400, 429) },
    }),
    async (c) => {
      const { challenge, expiresAt } = await service.requestSignInCode(
        deps.db,
        deps.config,
        { ...c.req.valid('json'), clientAddress: address(c) },
        now(),
      );
      return c.json({ challenge, expiresAt: expiresAt.toISOString() }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/auth/code/login',
      tags: ['Accounts'],
      summary: 'Sign in with an emailed code and get a bearer token (apps)',
      request: { body: jsonBody(CodeLoginSchema) },
      responses: { 200: jsonResponse(TokenResponse, 'Signed in'), ...errors(400, 401, 429) },
    }),
    async (c) =>
      bearer(c, await service.authenticateWithCode(deps.db, deps.config, { ...c.req.valid('json'), clientAddress: address(c) }, now())),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/auth/code/session',
      tags: ['Accounts'],
      summary: 'Sign in with an emailed code and a session cookie (browsers)',
      request: { body: jsonBody(CodeLoginSchema) },
      responses: { 200: jsonResponse(z.object({ user: UserSchema }), 'Signed in'), ...errors(400, 401, 429) },
    }),
    async (c) =>
      cookie(c, await service.authenticateWithCode(deps.db, deps.config, { ...c.req.valid('json'), clientAddress: address(c) }, now())),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/auth/password-reset',
      tags: ['Accounts'],
      summary: 'Email a single-use link to set a new password',
      description: 'Always 202, whether or not the account exists. 429 only when this client address asks too often.',
      request: { body: jsonBody(ResetRequestSchema) },
      responses: { 202: { description: 'Sent, if the account exists and has an email' }, ...errors(400, 429) },
    }),
    async (c) => {
      await service.requestPasswordReset(deps.db, deps.config, { ...c.req.valid('json'), clientAddress: address(c) }, now());
      return c.body(null, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/auth/password-reset/complete',
      tags: ['Accounts'],
      summary: 'Set a new password with the emailed token; every session of the account ends',
      request: { body: jsonBody(ResetCompleteSchema) },
      responses: { 204: { description: 'Password set; sign in again' }, ...errors(400) },
    }),
    async (c) => {
      await service.completePasswordReset(deps.db, c.req.valid('json'), now());
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/auth/logout',
      tags: ['Accounts'],
      summary: 'End this session or revoke this token',
      security: bearerSecurity,
      responses: { 204: { description: 'Signed out' }, ...errors(401) },
    }),
    async (c) => {
      requirePrincipal(c);
      const token = sessionToken(c);
      if (token) await service.closeSession(deps.db, token);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/auth/logout-all',
      tags: ['Accounts'],
      summary: 'Sign out everywhere: end every session and revoke every token of this account',
      security: bearerSecurity,
      responses: { 204: { description: 'Signed out everywhere' }, ...errors(401) },
    }),
    async (c) => {
      await service.signOutEverywhere(deps.db, requirePrincipal(c), now());
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/me',
      tags: ['Accounts'],
      summary: 'The signed-in account',
      security: bearerSecurity,
      responses: { 200: jsonResponse(UserSchema, 'The account'), ...errors(401) },
    }),
    async (c) => c.json(await service.myAccount(deps.db, requirePrincipal(c)), 200),
  );

  const ChannelIdentitySchema = z
    .object({
      id: z.number().int(),
      channel: z.string().openapi({ example: 'sms' }),
      handle: z.string().openapi({ example: '+6281234567890' }),
      since: z.string(),
    })
    .openapi('ChannelIdentity');

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/me/channels',
      tags: ['Accounts'],
      summary: 'The numbers and channel accounts that are this reporter (an SMS number joins when a code sent to it is used)',
      security: bearerSecurity,
      responses: { 200: jsonResponse(z.object({ items: z.array(ChannelIdentitySchema) }), 'The identities'), ...errors(401) },
    }),
    async (c) => c.json({ items: await service.myChannelIdentities(deps.db, requirePrincipal(c)) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/me/channels/{id}',
      tags: ['Accounts'],
      summary: 'Unlinks a channel identity: later messages from it are not this account’s; reports already made stay',
      security: bearerSecurity,
      request: {
        params: z.object({
          id: z.coerce
            .number({ error: 'Harus angka / Must be a number' })
            .int()
            .positive()
            .max(Number.MAX_SAFE_INTEGER)
            .openapi({ param: { name: 'id', in: 'path' } }),
        }),
      },
      responses: { 200: jsonResponse(ChannelIdentitySchema, 'The identity that was unlinked'), ...errors(400, 401, 404) },
    }),
    async (c) => c.json(await service.unlinkChannelIdentity(deps.db, requirePrincipal(c), c.req.valid('param').id, now()), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/me',
      tags: ['Accounts'],
      summary: 'Edit one’s profile: the name freely; the email or phone with the current password',
      security: bearerSecurity,
      request: { body: jsonBody(ProfileSchema) },
      responses: { 200: jsonResponse(UserSchema, 'The account as it is now'), ...errors(400, 401, 409, 429) },
    }),
    async (c) => {
      const user = await service.updateProfile(
        deps.db,
        deps.config,
        requirePrincipal(c),
        { ...c.req.valid('json'), clientAddress: address(c) },
        now(),
      );
      return c.json(service.toPublicUser(user), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/me/password',
      tags: ['Accounts'],
      summary: 'Change the password; every other session of the account ends',
      description: 'The current password is checked under the same counters as a sign-in.',
      security: bearerSecurity,
      request: { body: jsonBody(ChangePasswordSchema) },
      responses: { 204: { description: 'Changed; this session stays' }, ...errors(400, 401, 429) },
    }),
    async (c) => {
      const input = c.req.valid('json');
      await service.changePassword(
        deps.db,
        deps.config,
        requirePrincipal(c),
        { ...input, currentSession: sessionToken(c), clientAddress: address(c) },
        now(),
      );
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/users',
      tags: ['Accounts'],
      summary:
        'Create a staff account (national admin: any staff role; agency admin: agency admins of its body, unit officers and integrators of its units)',
      description:
        'Without `password` the account has none: a single-use link to set one is emailed to it (STAFF_INVITE_TTL_SECONDS), ' +
        'so the admin never chooses, sees or passes on a password. Recorded as the account’s `created` event.',
      security: bearerSecurity,
      request: { body: jsonBody(CreateUserSchema) },
      responses: { 201: jsonResponse(CreatedUserSchema, 'Created'), ...errors(400, 401, 403, 409) },
    }),
    async (c) => {
      const principal = requirePrincipal(c);
      const { user, invitation } = await service.createStaffAccount(deps.db, deps.config, principal, c.req.valid('json'), now());
      return c.json({ ...service.toPublicUser(user), invitation: invitation && { expiresAt: invitation.expiresAt.toISOString() } }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/users/{id}/role',
      tags: ['Accounts'],
      summary: 'Change the role or body of a staff account in scope (not one’s own); every session of the account ends',
      description:
        'The admin may give only what it may create (POST /api/v1/users). Recorded as a `role_changed` event with the ' +
        'role and body before and after. A reporter’s account is not made staff (409).',
      security: bearerSecurity,
      request: { params: UserIdParam, body: jsonBody(RoleChangeSchema) },
      responses: { 200: jsonResponse(RoleChangedSchema, 'Changed'), ...errors(400, 401, 403, 404, 409) },
    }),
    async (c) =>
      c.json(await service.changeStaffRole(deps.db, requirePrincipal(c), c.req.valid('param').id, c.req.valid('json'), now()), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/users',
      tags: ['Accounts'],
      summary: 'Accounts in the admin’s scope (national admin: all; agency admin: its body and the units below it)',
      security: bearerSecurity,
      request: { query: UserListQuerySchema },
      responses: {
        200: jsonResponse(
          z.object({ items: z.array(AdminUserSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() }),
          'Newest first',
        ),
        ...errors(400, 401, 403),
      },
    }),
    async (c) => c.json(await service.listUsers(deps.db, requirePrincipal(c), c.req.valid('query')), 200),
  );

  for (const action of ['disable', 'enable'] as const) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/api/v1/users/{id}/${action}`,
        tags: ['Accounts'],
        summary:
          action === 'disable'
            ? 'Disable an account in scope: it cannot sign in, and every session ends (not one’s own)'
            : 'Re-enable a disabled account in scope',
        security: bearerSecurity,
        request: { params: UserIdParam },
        responses: { 200: jsonResponse(AdminUserSchema, 'The account'), ...errors(400, 401, 403, 404) },
      }),
      async (c) =>
        c.json(await service.setAccountDisabled(deps.db, requirePrincipal(c), c.req.valid('param').id, action === 'disable', now()), 200),
    );
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/users/{id}/events',
      tags: ['Accounts'],
      summary:
        'What was done to an account in scope, and by whom (created, role changes, disable, enable, password and profile changes), newest first',
      security: bearerSecurity,
      request: { params: UserIdParam },
      responses: { 200: jsonResponse(z.array(AccountEventSchema), 'The account’s events'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => c.json(await service.accountEvents(deps.db, requirePrincipal(c), c.req.valid('param').id), 200),
  );
}
