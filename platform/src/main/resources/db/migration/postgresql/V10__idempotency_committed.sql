-- When the command an Idempotency-Key reserved committed: written in that command's own transaction,
-- so a retry knows the command ran even if its answer was never recorded (the server stopped, the
-- client hung up), and the key of a committed command is never released for a second attempt.
ALTER TABLE idempotency_key ADD COLUMN committed_at TIMESTAMP WITH TIME ZONE;
