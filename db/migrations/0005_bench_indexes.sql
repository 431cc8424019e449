CREATE INDEX `decisions_request` ON `decisions` (`request_id`);--> statement-breakpoint
CREATE INDEX `deployments_version_env` ON `deployments` (`version_id`,`environment_id`);