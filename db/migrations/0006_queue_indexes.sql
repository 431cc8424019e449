CREATE INDEX `approval_requests_created` ON `approval_requests` (`created_at`);--> statement-breakpoint
CREATE INDEX `approval_requests_status_expires` ON `approval_requests` (`status`,`expires_at`);