import { z } from '@hono/zod-openapi';
import { ROLES } from '../../domain/roles.ts';
import { ACCOUNT_ACTIONS } from './accounts.repository.ts';

/**
 * Request and response schemas of the accounts routes. Requests are strict (an unknown field is
 * refused, not ignored) and every message says what is wrong, in Bahasa Indonesia and English.
 */

function strict<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `Kolom tidak dikenal / Unknown field: ${(issue as { keys: string[] }).keys.join(', ')}`
        : 'Harus objek JSON / Must be a JSON object',
  });
}

const required = (issue: { input?: unknown }) => (issue.input === undefined ? 'Wajib diisi / Required' : 'Harus teks / Must be text');
const tooShort = (n: number) => `Minimal ${n} karakter / At least ${n} characters`;
const tooLong = (n: number) => `Paling banyak ${n} karakter / At most ${n} characters`;

function text(min: number, max: number) {
  return z
    .string({ error: required })
    .min(min, min === 1 ? 'Wajib diisi / Required' : tooShort(min))
    .max(max, tooLong(max));
}

const name = z.string({ error: required }).trim().min(1, 'Wajib diisi / Required').max(120, tooLong(120));
const email = z.string({ error: required }).trim().max(254, tooLong(254)).pipe(z.email('Email tidak valid / Invalid email'));
const phone = z.string({ error: required }).trim().max(20, tooLong(20));
/** ASVS 2.1: at least 8 characters, long passphrases allowed, nothing else imposed. */
const newPassword = text(8, 200);
const login = z
  .string({ error: required })
  .trim()
  .min(1, 'Wajib diisi / Required')
  .max(254, tooLong(254))
  .openapi({ example: 'warga@demo.lapor.go.id', description: 'Email or phone number' });
const opaque = (max: number) => text(1, max).regex(/^[A-Za-z0-9_-]+$/, 'Format tidak valid / Malformed');

export const UserSchema = z
  .object({
    id: z.number().int(),
    role: z.enum(ROLES),
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    bodyId: z.number().int().nullable(),
  })
  .openapi('User');

export const AdminUserSchema = UserSchema.extend({
  bodyName: z.string().nullable(),
  disabledAt: z.string().nullable().openapi({ description: 'When the account was disabled; null while active' }),
  createdAt: z.string(),
}).openapi('AdminUser');

export const RegisterSchema = strict({
  name,
  email: email.optional().nullable(),
  phone: phone.optional().nullable(),
  password: newPassword,
}).openapi('RegisterRequest');

export const CreateUserSchema = strict({
  name,
  email: email.optional().nullable(),
  phone: phone.optional().nullable(),
  password: newPassword.optional().openapi({
    description:
      'Optional. Without one the account has no password until its owner sets one with the single-use link emailed to ' +
      'it (then `email` is required); the admin never knows it.',
  }),
  role: z.enum(ROLES, `Salah satu dari / One of: ${ROLES.join(', ')}`),
  bodyId: z.number('Harus angka / Must be a number').int().positive().optional().nullable(),
}).openapi('CreateUserRequest');

export const CreatedUserSchema = UserSchema.extend({
  invitation: z
    .object({ expiresAt: z.string().openapi({ description: 'When the emailed link to set a password stops working' }) })
    .nullable()
    .openapi({ description: 'Set when the account was made without a password and the link was emailed' }),
}).openapi('CreatedUser');

export const RoleChangeSchema = strict({
  role: z.enum(ROLES, `Salah satu dari / One of: ${ROLES.join(', ')}`),
  bodyId: z
    .number('Harus angka / Must be a number')
    .int()
    .positive()
    .optional()
    .nullable()
    .openapi({ description: 'The body of the new role: a K/L/D for agency_admin, a unit for unit_officer; none for national roles' }),
}).openapi('RoleChangeRequest');

export const RoleChangedSchema = z
  .object({
    before: AdminUserSchema,
    after: AdminUserSchema,
    sessionsEnded: z.number().int().openapi({ description: 'Sessions and tokens of the account that the change ended' }),
  })
  .openapi('RoleChanged');

export const LoginSchema = strict({ login, password: text(1, 200) }).openapi('LoginRequest');

export const CodeRequestSchema = strict({ login }).openapi('SignInCodeRequest');

export const CodeLoginSchema = strict({
  challenge: opaque(100).openapi({ description: 'The challenge returned by POST /api/v1/auth/code' }),
  code: z
    .string({ error: required })
    .trim()
    .regex(/^\d{6}$/, 'Kode 6 angka / A 6-digit code'),
}).openapi('SignInCodeLogin');

export const ChallengeSchema = z
  .object({
    challenge: z.string().openapi({ description: 'Send it back with the code; it is given whether or not the account exists' }),
    expiresAt: z.string(),
  })
  .openapi('SignInChallenge');

export const ResetRequestSchema = strict({ login }).openapi('PasswordResetRequest');
export const ResetCompleteSchema = strict({ token: opaque(100), password: newPassword }).openapi('PasswordResetComplete');

export const ChangePasswordSchema = strict({ currentPassword: text(1, 200), newPassword }).openapi('ChangePasswordRequest');

export const ProfileSchema = strict({
  name: name.optional(),
  email: email.nullable().optional(),
  phone: phone.nullable().optional(),
  currentPassword: text(1, 200).optional().openapi({ description: 'Required to change the email or phone' }),
}).openapi('ProfileUpdate');

const listInt = (max: number, fallback: number) =>
  z.coerce
    .number('Harus angka / Must be a number')
    .int('Harus bilangan bulat / Must be a whole number')
    .min(1, 'Paling kecil 1 / At least 1')
    .max(max, `Paling besar ${max} / At most ${max}`)
    .default(fallback);

export const UserListQuerySchema = strict({
  q: z.string().trim().max(100, tooLong(100)).optional().openapi({ description: 'Part of the name, email or phone' }),
  role: z.enum(ROLES, `Salah satu dari / One of: ${ROLES.join(', ')}`).optional(),
  status: z.enum(['active', 'disabled'], 'Salah satu dari / One of: active, disabled').optional(),
  page: listInt(10_000, 1),
  pageSize: listInt(100, 20),
});

export const UserIdParam = z.object({
  id: z.coerce
    .number('Harus angka / Must be a number')
    .int()
    .positive()
    .openapi({ param: { name: 'id', in: 'path' } }),
});

export const AccountEventSchema = z
  .object({
    id: z.number().int(),
    action: z.enum(ACCOUNT_ACTIONS),
    at: z.string(),
    actor: z.object({ id: z.number().int(), name: z.string(), role: z.enum(ROLES) }).nullable(),
    data: z.record(z.string(), z.unknown()),
  })
  .openapi('AccountEvent');
