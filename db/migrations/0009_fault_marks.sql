ALTER TABLE `day_results` ADD `removed_at` integer;--> statement-breakpoint
ALTER TABLE `jobs` ADD `runner` text;--> statement-breakpoint
CREATE INDEX `jobs_by_participant` ON `jobs` (`participant`,`started_at`);