-- The failed jobs: a few percent of the queue's history. GetPrebuildMetrics counts failed prebuilds
-- from them instead of looking up the job of every prebuild ever made.
CREATE INDEX provisioner_jobs_failed_idx ON provisioner_jobs (id) WHERE job_status = 'failed';
