ALTER TABLE `day_history` ADD `env` text;--> statement-breakpoint
ALTER TABLE `day_results` ADD `env` text;