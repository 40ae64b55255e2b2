ALTER TABLE `day_history` ADD `sample_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `day_results` ADD `sample_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `day_results` SET `sample_count` = json_array_length(`samples`);--> statement-breakpoint
UPDATE `day_history` SET `sample_count` = json_array_length(`samples`);
