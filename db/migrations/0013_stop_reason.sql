ALTER TABLE `day_history` ADD `stop_reason` text;--> statement-breakpoint
ALTER TABLE `day_results` ADD `stop_reason` text;