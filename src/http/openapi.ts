import { z } from '@hono/zod-openapi';

const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_input' }),
      message: z.string().openapi({ example: 'Input tidak valid / Invalid input' }),
      fields: z
        .record(z.string(), z.string())
        .optional()
        .openapi({ example: { title: 'Required' } }),
    }),
  })
  .openapi('Error');

const errorContent = { 'application/json': { schema: ErrorSchema } };

/** The error responses a route can give, by status, for the OpenAPI document. */
export function errors(...statuses: (400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429)[]) {
  const descriptions: Record<number, string> = {
    400: 'Invalid input; `fields` names each bad field',
    401: 'Not signed in, or the token is invalid',
    403: 'The role or scope does not allow this',
    404: 'Not found (or not visible to the caller)',
    409: 'Not allowed in the current state; the message gives the reason',
    413: 'Too large',
    415: 'Unsupported or mismatched content type',
    422: 'Refused by a content rule',
    429: 'Too many attempts',
  };
  return Object.fromEntries(statuses.map((s) => [s, { description: descriptions[s]!, content: errorContent }]));
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } };
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/** A positive whole number from a query string, with its default. */
const listInt = (max: number, fallback: number) =>
  z.coerce
    .number({ error: (iss) => (iss.code === 'invalid_type' && iss.expected === 'number' ? 'Harus angka / Must be a number' : undefined) })
    .int()
    .min(1)
    .max(max)
    .default(fallback);

/** `page` and `perPage` of every list. */
export const pagingQuery = { page: listInt(10_000, 1), perPage: listInt(100, 20) };

export const bearerSecurity: Record<string, string[]>[] = [{ Bearer: [] }, { Cookie: [] }];
