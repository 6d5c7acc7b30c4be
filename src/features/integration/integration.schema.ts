import { z } from '@hono/zod-openapi';
import { normalizePhone } from '../../domain/phone.ts';
import { CLASSIFICATIONS } from '../../domain/report.ts';
import { STATUSES } from '../../domain/workflow.ts';
import { pagingQuery } from '../../http/openapi.ts';
import { FilesField } from '../reports/reports.schema.ts';
import { MAX_CHANGES_PAGE } from './changes.service.ts';
import { MAX_GRACE_MINUTES } from './integration.service.ts';

/** The integration API's request and response shapes (issue 11 §4), for validation and the OpenAPI document. */

/** An app's own id for a report, a reply or a user: what its database calls it. */
const appId = (what: string) =>
  z
    .string({ error: 'Harus berupa teks / Must be text' })
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/,
      `1–100 huruf, angka, . _ : - (diawali huruf atau angka) / 1–100 letters, digits, . _ : - (starting with a letter or digit): ${what}`,
    );

export const ExternalIdParam = z.object({
  externalId: appId('externalId').openapi({ param: { name: 'externalId', in: 'path' }, example: 'GNC-2026-000123' }),
});

const textError = (iss: { code?: string; input?: unknown }) =>
  iss.code !== 'invalid_type' ? undefined : iss.input === undefined ? 'Wajib diisi / Required' : 'Harus berupa teks / Must be text';

const CitizenSchema = z
  .strictObject({
    id: appId('citizen.id').openapi({ description: 'The user’s id in the app: the same id is the same reporter', example: 'u-88121' }),
    name: z.string({ error: textError }).trim().min(1).max(120).optional().nullable(),
    email: z.email('Alamat email tidak valid / Invalid email address').max(254).optional().nullable(),
    phone: z
      .string({ error: textError })
      .max(30)
      .transform((v, ctx) => {
        const phone = normalizePhone(v);
        if (!phone) {
          ctx.addIssue({ code: 'custom', message: 'Nomor telepon Indonesia, mis. 0812… / An Indonesian phone number, e.g. 0812…' });
          return z.NEVER;
        }
        return phone;
      })
      .optional()
      .nullable(),
  })
  .openapi('IntegrationCitizen', {
    description:
      'The citizen as the app knows them. Kept with the reporter’s channel identity for national admins; never shown to the handling body of an anonim report, never in a webhook or the changes feed',
  });

export const PushReportSchema = z
  .strictObject({
    externalId: appId('externalId').openapi({
      description: 'The app’s own id for the report: the same id again is the same report',
      example: 'GNC-2026-000123',
    }),
    citizen: CitizenSchema,
    classification: z.enum(CLASSIFICATIONS).default('pengaduan'),
    title: z.string({ error: textError }).trim().min(5, 'Minimal 5 karakter / At least 5 characters').max(200),
    body: z.string({ error: textError }).trim().min(20, 'Minimal 20 karakter / At least 20 characters').max(10_000),
    incidentDate: z.iso
      .date('Tanggal ISO, mis. 2026-11-20 / ISO date, e.g. 2026-11-20')
      .refine((v) => v >= '1900-01-01', 'Tanggal terlalu lampau / Date too far in the past'),
    regionCode: z
      .string()
      .regex(/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/, 'Kode wilayah Kemendagri, mis. 61.71.01 / Kemendagri region code, e.g. 61.71.01')
      .optional()
      .nullable(),
    latitude: z.number().min(-90).max(90).optional().nullable(),
    longitude: z.number().min(-180).max(180).optional().nullable(),
    categoryId: z.number().int().positive().optional().nullable(),
    suggestedBodyId: z
      .number()
      .int()
      .positive()
      .optional()
      .nullable()
      .openapi({ description: 'By default the app’s own body (the government it belongs to)' }),
    anonymous: z.boolean().default(false),
    secret: z.boolean().default(false),
  })
  .refine((v) => (v.latitude == null) === (v.longitude == null), {
    message: 'Isi lintang dan bujur bersama / Give latitude and longitude together',
    path: ['longitude'],
  })
  .openapi('IntegrationPushReport');

/** Multipart: the same JSON in the `report` field, and the files under `attachments`. */
export const PushReportFormSchema = z
  .strictObject({
    report: z.string({ error: textError }).openapi({ description: 'The push as JSON (IntegrationPushReport)' }),
    attachments: FilesField,
  })
  .openapi('IntegrationPushReportForm');

export const PushReplySchema = z
  .strictObject({
    replyId: appId('replyId').openapi({
      description: 'The app’s own id for the reply: the same id again is the same reply',
      example: 'msg-5521',
    }),
    message: z.string({ error: textError }).trim().min(1, 'Wajib diisi / Required').max(5000),
  })
  .openapi('IntegrationPushReply');

export const PushReplyFormSchema = z
  .strictObject({
    reply: z.string({ error: textError }).openapi({ description: 'The reply as JSON (IntegrationPushReply)' }),
    attachments: FilesField,
  })
  .openapi('IntegrationPushReplyForm');

const Label = z.object({ id: z.string(), en: z.string() });
const Named = z.object({ id: z.number().int(), name: z.string() });

export const AppReportSchema = z
  .object({
    externalId: z.string(),
    trackingId: z.string().openapi({ description: 'The public tracking ID (the citizen can give it over the phone or by SMS)' }),
    status: z.enum(STATUSES),
    statusLabel: Label,
    classification: z.enum(CLASSIFICATIONS),
    title: z.string(),
    anonymous: z.boolean(),
    secret: z.boolean(),
    public: z.boolean(),
    responsibleBody: Named.nullable(),
    unit: Named.nullable(),
    attachments: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    url: z.string().nullable(),
  })
  .openapi('IntegrationReport');

export const PendingSchema = z
  .object({ externalId: z.string(), state: z.literal('pending'), message: z.string() })
  .openapi('IntegrationPushPending');

export const ChangeEventSchema = z
  .object({
    id: z.number().int(),
    type: z.string().openapi({ example: 'answered' }),
    at: z.string(),
    fromStatus: z.string().nullable(),
    toStatus: z.string().nullable(),
    message: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
    actor: z.object({ role: z.string(), body: z.string().nullable() }),
  })
  .openapi('IntegrationEvent');

const ChangeReportSchema = z.object({
  externalId: z.string(),
  trackingId: z.string(),
  status: z.string(),
  statusLabel: Label,
  url: z.string().nullable(),
});

export const AppReportWithTimelineSchema = AppReportSchema.extend({ timeline: z.array(ChangeEventSchema) }).openapi(
  'IntegrationReportWithTimeline',
);

export const ChangesQuerySchema = z.strictObject({
  cursor: z.string().max(40).optional().openapi({ description: 'The `nextCursor` of the previous page; none for the beginning' }),
  limit: z.coerce.number({ error: 'Harus angka / Must be a number' }).int().min(1).max(MAX_CHANGES_PAGE).default(100),
});

export const ChangesSchema = z
  .object({
    items: z.array(z.object({ cursor: z.string(), event: ChangeEventSchema, report: ChangeReportSchema })),
    nextCursor: z.string(),
    hasMore: z.boolean(),
  })
  .openapi('IntegrationChanges');

export const WebhookInputSchema = z
  .strictObject({
    url: z.string({ error: textError }).max(2000),
    rotateSecret: z.boolean().optional().openapi({ description: 'Make a new signing secret (the old one stops at once)' }),
  })
  .openapi('IntegrationWebhookInput');

const WebhookSchema = z
  .object({ url: z.string(), active: z.boolean(), createdAt: z.string(), updatedAt: z.string() })
  .openapi('IntegrationWebhook');

export const WebhookSetSchema = z
  .object({
    webhook: WebhookSchema,
    secret: z
      .string()
      .nullable()
      .openapi({ description: 'The signing secret, shown this once (when made or rotated); null when it did not change' }),
  })
  .openapi('IntegrationWebhookSet');

export const WebhookStateSchema = z.object({ webhook: WebhookSchema.nullable() }).openapi('IntegrationWebhookState');

export const DeliveryListSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.number().int(),
        at: z.string(),
        eventId: z.number().int().nullable(),
        attempt: z.number().int(),
        url: z.string(),
        httpStatus: z.number().int().nullable(),
        latencyMs: z.number().int().nullable(),
        error: z.string().nullable(),
        messageStatus: z.string(),
      }),
    ),
    total: z.number().int(),
    page: z.number().int(),
    perPage: z.number().int(),
  })
  .openapi('IntegrationDeliveries');

export const PagingQuerySchema = z.strictObject(pagingQuery);

// ---- the admin's side ----

export const AppIdParam = z.object({
  appId: z.coerce
    .number({ error: 'Harus angka / Must be a number' })
    .int()
    .positive()
    .max(Number.MAX_SAFE_INTEGER)
    .openapi({ param: { name: 'appId', in: 'path' }, example: 41 }),
});
export const KeyIdParam = AppIdParam.extend({
  keyId: z.coerce
    .number({ error: 'Harus angka / Must be a number' })
    .int()
    .positive()
    .max(Number.MAX_SAFE_INTEGER)
    .openapi({ param: { name: 'keyId', in: 'path' }, example: 7 }),
});

export const AppSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    email: z.string().nullable(),
    body: Named,
    disabled: z.boolean(),
    activeKeys: z.number().int(),
    lastUsedAt: z.string().nullable(),
    webhook: z.object({ url: z.string(), active: z.boolean() }).nullable(),
  })
  .openapi('IntegrationApp');

export const KeySchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    prefix: z.string().openapi({ example: 'lpr_live_Ab12Cd…' }),
    createdAt: z.string(),
    createdBy: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    active: z.boolean(),
    replacedBy: z.number().int().nullable(),
  })
  .openapi('IntegrationKey');

export const AppListSchema = z
  .object({ items: z.array(AppSchema), total: z.number().int(), page: z.number().int(), perPage: z.number().int() })
  .openapi('IntegrationAppList');

export const AppDetailSchema = z
  .object({ app: AppSchema, keys: z.array(KeySchema), webhook: WebhookSchema.nullable() })
  .openapi('IntegrationAppDetail');

export const NewKeySchema = z
  .strictObject({ name: z.string({ error: textError }).trim().min(1, 'Wajib diisi / Required').max(100) })
  .openapi('IntegrationNewKey');

export const RotateKeySchema = z
  .strictObject({
    graceMinutes: z
      .number()
      .int()
      .min(0)
      .max(MAX_GRACE_MINUTES)
      .optional()
      .openapi({ description: 'How long the old key keeps working beside the new one (default 0: it stops at once)' }),
    name: z.string({ error: textError }).trim().min(1).max(100).optional(),
  })
  .openapi('IntegrationRotateKey');

export const KeyMadeSchema = z
  .object({
    key: KeySchema,
    token: z.string().openapi({ description: 'The API key itself, shown this once: only its hash is kept', example: 'lpr_live_…' }),
  })
  .openapi('IntegrationKeyMade');

export const KeyRotatedSchema = KeyMadeSchema.extend({ replaced: KeySchema }).openapi('IntegrationKeyRotated');
