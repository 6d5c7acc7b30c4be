-- pgbench script, appended to intake.sql for the "full request" variant: the two reads the
-- route runs after the transaction to build its 201 response,
-- service.viewReport(deps.db, 'reporter', principal, reportId) in src/features/reports/reports.routes.ts.
--   :visibilities  visibilitiesFor('reporter') as a text[] literal, {public,reporter}
-- src/features/reports/reports.repository.ts selectReportView with viewSelect('reporter').
SELECT r.id, r.tracking_id, r.classification, r.title, r.body, r.incident_date, r.status,
       r.region_code, rg.name AS region_name, r.latitude, r.longitude,
       r.category_id, c.code AS category_code, c.name_id AS category_name_id, c.name_en AS category_name_en,
       r.suggested_body_id, sb.name AS suggested_body_name, r.body_id, b.name AS body_name,
       r.unit_id, un.name AS unit_name, r.is_anonymous, r.is_secret, r.resolution_class, r.archive_reason,
       CASE WHEN dup.is_public THEN dup.tracking_id END AS duplicate_of, r.channel, r.channel_message AS channel_message, r.rating,
       u.name AS reporter_name, u.email AS reporter_email, u.phone AS reporter_phone,
       r.created_at, r.updated_at, r.verified_at, r.answered_at, r.closed_at, r.escalated_at,
       r.ombudsman_body_id, ob.name AS ombudsman_body_name, r.ombudsman_taken_at,
       NULL::text AS ombudsman_officer_name,
       r.ombudsman_findings AS ombudsman_findings,
       r.ombudsman_recommendation AS ombudsman_recommendation, r.ombudsman_closed_at
  FROM reports r
  JOIN users u ON u.id = r.reporter_id
  LEFT JOIN regions rg ON rg.code = r.region_code
  LEFT JOIN categories c ON c.id = r.category_id
  LEFT JOIN bodies sb ON sb.id = r.suggested_body_id
  LEFT JOIN bodies b ON b.id = r.body_id
  LEFT JOIN bodies un ON un.id = r.unit_id
  LEFT JOIN reports dup ON dup.id = r.duplicate_of_id
  LEFT JOIN bodies ob ON ob.id = r.ombudsman_body_id
  LEFT JOIN users ou ON ou.id = r.ombudsman_officer_id WHERE r.id = :report_id;
-- src/features/reports/reports.repository.ts selectAttachments → selectAttachmentsOf(db, kind, [reportId]).
-- $1 is [reportId], which node-pg sends as the literal '{id}'; pgbench cannot build that string,
-- so the array is built in SQL instead.
SELECT report_id, id, event_id, file_name, media_type, size_bytes, storage_key, visibility, created_at
       FROM attachments WHERE report_id = ANY(ARRAY[:report_id]::bigint[]) AND visibility = ANY(:visibilities::text[]) ORDER BY id;
