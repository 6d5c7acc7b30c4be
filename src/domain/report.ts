/** The terms of a report (domain.md): what it is, how it came in, why it was archived. */
export const CLASSIFICATIONS = ['pengaduan', 'aspirasi', 'permintaan_informasi'] as const;
export const ARCHIVE_REASONS = ['duplicate', 'incomplete', 'not_public_service', 'spam_hoax', 'abusive'] as const;
export const CHANNELS = ['web', 'mobile', 'sms', 'x', 'whatsapp', 'telegram', 'email', 'integration', 'open311'] as const;

export type Classification = (typeof CLASSIFICATIONS)[number];
export type ArchiveReason = (typeof ARCHIVE_REASONS)[number];
export type Channel = (typeof CHANNELS)[number];
