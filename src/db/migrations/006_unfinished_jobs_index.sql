-- The jobs still in the queue or running: a handful at any time, however many jobs the history
-- holds. CountInProgressPrebuilds starts from them (spec §2.4).
CREATE INDEX provisioner_jobs_unfinished_idx ON provisioner_jobs (id)
  WHERE job_status IN ('pending', 'running');
