-- SubmissionsQueries.documents: every filter (count)
-- params: ["telemetry","main","4","6a1d2e3f-0000-4000-8000-000000000001"]
SELECT count(*)::int AS n
  FROM submission_documents
  WHERE namespace = $1
  AND doctype = $2
  AND version = $3
  AND document_id = $4;

-- SubmissionsQueries.documents: every filter (page)
-- params: ["telemetry","main","4","6a1d2e3f-0000-4000-8000-000000000001",100]
SELECT document_id, namespace, doctype, version, metadata, payload::text AS payload
  FROM submission_documents
  WHERE namespace = $1
  AND doctype = $2
  AND version = $3
  AND document_id = $4
  ORDER BY received_at DESC, event_id
  LIMIT $5;

-- SubmissionsQueries.errors: no filter (count)
-- params: []
SELECT count(*)::int AS n
  FROM submission_errors;

-- SubmissionsQueries.errors: no filter (page)
-- params: [100]
SELECT event_id, received_at, uri, document_id, error_type, error_message, payload_base64, metadata
  FROM submission_errors
  ORDER BY received_at DESC, event_id
  LIMIT $1;

-- SubmissionsQueries.errors: namespace and type (page)
-- params: ["telemetry","schema",10]
SELECT event_id, received_at, uri, document_id, error_type, error_message, payload_base64, metadata
  FROM submission_errors
  WHERE namespace = $1
  AND error_type = $2
  ORDER BY received_at DESC, event_id
  LIMIT $3;
