-- RecordsQueries.api: defaults (30-day window)
-- params: [2592000,1000]
SELECT id, machine_id, machine_type, arch, build, kernel_version, floor(extract(epoch FROM ts_capture))::float8 AS ts_capture_s, floor(extract(epoch FROM ts_reception))::float8 AS ts_reception_s, severity, classification, record_format_version, payload, board_name, bios_version, cpu_model, event_id, external, os_name, payload_format_version
  FROM records
  WHERE ts_reception > now() - make_interval(secs => $1::float8)
  ORDER BY id DESC
  LIMIT $2;

-- RecordsQueries.api: every filter
-- params: [3600,2,"org.clearlinux/crash/clr","31000","m1","42",1700000000,10]
SELECT id, machine_id, machine_type, arch, build, kernel_version, floor(extract(epoch FROM ts_capture))::float8 AS ts_capture_s, floor(extract(epoch FROM ts_reception))::float8 AS ts_reception_s, severity, classification, record_format_version, payload, board_name, bios_version, cpu_model, event_id, external, os_name, payload_format_version
  FROM records
  WHERE ts_reception > now() - make_interval(secs => $1::float8)
  AND severity = $2
  AND classification = $3
  AND build = $4
  AND machine_id = $5
  AND id >= $6::bigint
  AND ts_capture > to_timestamp($7::float8)
  ORDER BY id DESC
  LIMIT $8;

-- RecordsQueries.console: no filter, first page
-- params: [21,0]
SELECT id, machine_id, machine_type, arch, build, kernel_version, floor(extract(epoch FROM ts_capture))::float8 AS ts_capture_s, floor(extract(epoch FROM ts_reception))::float8 AS ts_reception_s, severity, classification, record_format_version, payload, board_name, bios_version, cpu_model, event_id, external, os_name, payload_format_version
  FROM records
  ORDER BY id DESC
  LIMIT $1 OFFSET $2;

-- RecordsQueries.console: every filter, CSV continuation
-- params: ["org.clearlinux/%","clear-linux-os","31000",3,"m1","segfault","^test","2026-11-01","2026-12-01",false,5000,1000,0]
SELECT id, machine_id, machine_type, arch, build, kernel_version, floor(extract(epoch FROM ts_capture))::float8 AS ts_capture_s, floor(extract(epoch FROM ts_reception))::float8 AS ts_reception_s, severity, classification, record_format_version, payload, board_name, bios_version, cpu_model, event_id, external, os_name, payload_format_version
  FROM records
  WHERE classification LIKE $1 ESCAPE '\'
  AND os_name = $2
  AND build = $3
  AND severity = $4
  AND machine_id = $5
  AND payload ~ $6
  AND payload !~ $7
  AND ts_reception >= ($8::date::timestamp AT TIME ZONE 'UTC')
  AND ts_reception < ($9::date::timestamp AT TIME ZONE 'UTC')
  AND external = $10
  AND id < $11
  ORDER BY id DESC
  LIMIT $12 OFFSET $13;
