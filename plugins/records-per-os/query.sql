-- Runs read-only; :days and :classification are bound as parameters, never spliced into the text.
SELECT os_name,
       count(*)::int                   AS records,
       count(DISTINCT machine_id)::int AS machines
FROM records
WHERE classification = :classification
  AND ts_reception > now() - make_interval(days => :days)
GROUP BY os_name
ORDER BY records DESC, os_name
