import { createRoute, z } from '@hono/zod-openapi';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { ROLES } from '../../domain/roles.ts';
import { SESSION_COOKIE, requirePrincipal } from '../../http/auth.ts';
import type { App, AppDeps, AppEnv } from '../../http/context.ts';
import { bearerSecurity, errors, jsonBody, jsonResponse } from '../../http/openapi.ts';
import * as repo from './accounts.repository.ts';
import * as service from './accounts.service.ts';

const UserSchema = z
  .object({
    id: z.number().int(),
    role: z.enum(ROLES),
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    bodyId: z.number().int().nullable(),
  })
  .openapi('User');

const password = z.string().min(8, 'Minimal 8 karakter / At least 8 characters').max(200);
const NewAccountSchema = z.object({
  name: z.string().trim().min(1, 'Wajib diisi / Required').max(120),
  email: z.email('Email tidak valid / Invalid email').max(254).optional().nullable(),
  phone: z.string().trim().max(20).optional().nullable(),
  password,
});

const RegisterSchema = NewAccountSchema.openapi('RegisterRequest');
const CreateUserSchema = NewAccountSchema.extend({
  role: z.enum(ROLES),
  bodyId: z.number().int().positive().optional().nullable(),
}).openapi('CreateUserRequest');
const LoginSchema = z
  .object({
    login: z.string().trim().min(1, 'Wajib diisi / Required').max(254).openapi({ example: 'warga@demo.lapor.go.id' }),
    password: z.string().min(1, 'Wajib diisi / Required').max(200),
  })
  .openapi('LoginRequest');

function clientAddress(c: Context<AppEnv>, trustProxy: boolean): string {
  const forwarded = trustProxy ? c.req.header('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
  if (forwarded) return forwarded;
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // in-process requests (tests) have no socket
  }
}

export function registerAccountRoutes(app: App, deps: AppDeps): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/auth/register',
      tags: ['Accounts'],
      summary: 'Register a reporter account',
      request: { body: jsonBody(RegisterSchema) },
      responses: {
        201: jsonResponse(z.object({ user: UserSchema, token: z.string() }), 'Registered, with a bearer token'),
        ...errors(400, 409),
      },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const user = await service.registerReporter(deps.db, input);
      const { token } = await service.openSession(deps.db, deps.config, user.id, 'bearer', deps.now());
      return c.json({ user: service.toPublicUser(user), token }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/auth/login',
      tags: ['Accounts'],
      summary: 'Sign in and get a bearer token (apps)',
      request: { body: jsonBody(LoginSchema) },
      responses: {
        200: jsonResponse(z.object({ token: z.string(), expiresAt: z.string(), user: UserSchema }), 'Signed in'),
        ...errors(400, 401, 429),
      },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const user = await service.authenticate(deps.db, deps.config, { ...input, clientAddress: clientAddress(c, deps.config.trustProxy) }, deps.now());
      const { token, expiresAt } = await service.openSession(deps.db, deps.config, user.id, 'bearer', deps.now());
      return c.json({ token, expiresAt: expiresAt.toISOString(), user: service.toPublicUser(user) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/auth/session',
      tags: ['Accounts'],
      summary: 'Sign in with a session cookie (browsers)',
      description: 'Sets an HttpOnly, Secure, SameSite=Lax cookie. The token never reaches page scripts.',
      request: { body: jsonBody(LoginSchema) },
      responses: { 200: jsonResponse(z.object({ user: UserSchema }), 'Signed in'), ...errors(400, 401, 429) },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const user = await service.authenticate(deps.db, deps.config, { ...input, clientAddress: clientAddress(c, deps.config.trustProxy) }, deps.now());
      const { token, expiresAt } = await service.openSession(deps.db, deps.config, user.id, 'cookie', deps.now());
      setCookie(c, SESSION_COOKIE, token, {
        httpOnly: true,
        secure: deps.config.cookieSecure,
        sameSite: 'Lax',
        path: '/',
        expires: expiresAt,
      });
      return c.json({ user: service.toPublicUser(user) }, 200);
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
      const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
      const token = bearer ?? getCookie(c, SESSION_COOKIE);
      if (token) await service.closeSession(deps.db, token);
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
    async (c) => {
      const principal = requirePrincipal(c);
      const user = await repo.findUserById(deps.db, principal.userId);
      return c.json(service.toPublicUser(user!), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/users',
      tags: ['Accounts'],
      summary: 'Create a staff account (national admin: any role; agency admin: unit officers and integrators of its body)',
      security: bearerSecurity,
      request: { body: jsonBody(CreateUserSchema) },
      responses: { 201: jsonResponse(UserSchema, 'Created'), ...errors(400, 401, 403, 409) },
    }),
    async (c) => {
      const principal = requirePrincipal(c);
      const user = await service.createStaffUser(deps.db, principal, c.req.valid('json'));
      return c.json(service.toPublicUser(user), 201);
    },
  );
}
