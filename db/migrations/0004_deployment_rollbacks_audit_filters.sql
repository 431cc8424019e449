ALTER TABLE `deployments` ADD `kind` text DEFAULT 'deploy' NOT NULL;--> statement-breakpoint
ALTER TABLE `deployments` ADD `reason` text;--> statement-breakpoint
CREATE INDEX `audit_events_actor_id` ON `audit_events` (`actor_name`,`id`);--> statement-breakpoint
CREATE INDEX `audit_events_model_id` ON `audit_events` (`model_id`,`id`);--> statement-breakpoint
CREATE INDEX `audit_events_action_id` ON `audit_events` (`action`,`id`);